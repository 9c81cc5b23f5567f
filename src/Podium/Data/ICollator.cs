using OpenCvSharp;
using Podium.Augment;

namespace Podium.Data;

/// <summary>
/// How a task's batches are made (PyTorch's collate_fn): an empty batch for some samples, then each decoded sample
/// through the pipeline into it with its targets. Runs on the loader's threads.
/// </summary>
public interface ICollator<TBatch> where TBatch : ImageBatch
{
    /// <summary>An empty batch for <paramref name="indices"/>; large arrays come from <paramref name="buffer"/> (a pool, any
    /// content).</summary>
    TBatch Create(int[] indices, int channels, int height, int width, Func<int, float[]> buffer);

    /// <summary>Sample <paramref name="i"/> of the batch (dataset index <paramref name="index"/>), decoded as <paramref name="image"/>,
    /// into the batch.</summary>
    void Add(TBatch batch, int i, ImageDataset data, int index, Mat image, Pipeline pipeline, Random rng);
}
