using OpenCvSharp;
using Podium.Augment;
using Podium.Data;

namespace Podium.Tasks.SelfSupervised;

/// <summary>
/// Two augmented views of every image (SimCLR's and SimSiam's input): a batch of N images holds 2N, the first views in rows
/// 0..N-1 and the second in N..2N-1, its indices listing each image twice. Both views come from the sample's seeded stream, so
/// they differ from each other and repeat run to run.
/// </summary>
public sealed class ViewPairCollator : ICollator<ImageBatch>
{
    public static ViewPairCollator Instance { get; } = new();

    public ImageBatch Create(int[] indices, int channels, int height, int width, Func<int, float[]> buffer) =>
        new(buffer(2 * indices.Length * channels * height * width), [.. indices, .. indices], channels, height, width);

    public void Add(ImageBatch batch, int i, ImageDataset data, int index, Mat image, Pipeline pipeline, Random rng)
    {
        int plane = batch.Channels * batch.Height * batch.Width, images = batch.Count / 2;
        pipeline.Run(image.Clone(), rng, batch.Pixels.AsSpan(i * plane, plane)); // a run owns its image and may change it
        pipeline.Run(image, rng, batch.Pixels.AsSpan((images + i) * plane, plane));
    }
}
