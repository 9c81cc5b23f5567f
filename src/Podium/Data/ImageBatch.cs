namespace Podium.Data;

/// <summary>
/// One prepared batch of images: normalised float CHW pixels, ready to become a tensor, and which samples of the loader's
/// dataset they are. Tasks add their targets in subclasses (<see cref="LabelBatch"/>, <see cref="MultiHotBatch"/>,
/// <see cref="DenseBatch"/>); an <see cref="ImageBatch"/> alone is what prediction needs.
/// </summary>
public class ImageBatch(float[] pixels, int[] indices, int channels, int height, int width)
{
    public float[] Pixels { get; } = pixels;
    /// <summary>Indices into the loader's dataset, in batch order.</summary>
    public int[] Indices { get; } = indices;
    public int Count => Indices.Length;
    public int Channels => channels;
    public int Height => height;
    public int Width => width;
    public long[] Shape => [Count, channels, height, width];
    /// <summary>How long the consumer waited for this batch (0 when it was already prepared).</summary>
    public double WaitMs { get; internal set; }
    /// <summary>Worker time spent decoding this batch's images (or reading them from the cache).</summary>
    public double DecodeMs { get; internal set; }
    /// <summary>Worker time spent in the online augmentation pipeline (transforms, resize, normalise).</summary>
    public double AugmentMs { get; internal set; }

    /// <summary>The large arrays the loader takes back for later batches once this one's tensors exist.</summary>
    public virtual IEnumerable<float[]> Buffers() => [Pixels];
}
