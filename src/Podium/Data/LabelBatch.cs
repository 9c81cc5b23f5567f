namespace Podium.Data;

/// <summary>Images with one class index each (single-label classification).</summary>
public sealed class LabelBatch(float[] pixels, int[] indices, int channels, int height, int width) : ImageBatch(pixels, indices, channels,
    height, width)
{
    public long[] Labels { get; } = new long[indices.Length];
}
