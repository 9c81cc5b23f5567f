namespace Podium.Data;

/// <summary>Images with a set of labels each, as multi-hot rows [Count, Classes] (multi-label classification).</summary>
public sealed class MultiHotBatch(float[] pixels, int[] indices, int channels, int height, int width, int classes) : ImageBatch(pixels,
    indices, channels, height, width)
{
    public int Classes => classes;
    public float[] Targets { get; } = new float[indices.Length * classes];
    public long[] TargetShape => [Count, classes];
}
