using OpenCvSharp;
using Podium.Augment;

namespace Podium.Data;

/// <summary>The collators of Podium's batch kinds.</summary>
public static class Collators
{
    /// <summary>Pixels only: prediction.</summary>
    public static ICollator<ImageBatch> Images { get; } = new ImageCollator();

    /// <summary>Pixels and each sample's class.</summary>
    public static ICollator<LabelBatch> Labels { get; } = new LabelCollator();

    /// <summary>Pixels and each sample's labels as a multi-hot row of <paramref name="classes"/>.</summary>
    public static ICollator<MultiHotBatch> MultiHot(int classes) => new MultiHotCollator(classes);

    /// <summary>Pixels and per-pixel maps made from each sample's transformed polygons.</summary>
    public static ICollator<DenseBatch> Dense(DenseTargets maps) => new DenseCollator(maps);

    private static int Plane(ImageBatch b) => b.Channels * b.Height * b.Width;

    private sealed class ImageCollator : ICollator<ImageBatch>
    {
        public ImageBatch Create(int[] indices, int channels, int height, int width, Func<int, float[]> buffer) =>
            new(buffer(indices.Length * channels * height * width), indices, channels, height, width);

        public void Add(ImageBatch batch, int i, ImageDataset data, int index, Mat image, Pipeline pipeline, Random rng) =>
            pipeline.Run(image, rng, batch.Pixels.AsSpan(i * Plane(batch), Plane(batch)));
    }

    private sealed class LabelCollator : ICollator<LabelBatch>
    {
        public LabelBatch Create(int[] indices, int channels, int height, int width, Func<int, float[]> buffer) =>
            new(buffer(indices.Length * channels * height * width), indices, channels, height, width);

        public void Add(LabelBatch batch, int i, ImageDataset data, int index, Mat image, Pipeline pipeline, Random rng)
        {
            batch.Labels[i] = data.Label(index);
            pipeline.Run(image, rng, batch.Pixels.AsSpan(i * Plane(batch), Plane(batch)));
        }
    }

    private sealed class MultiHotCollator(int classes) : ICollator<MultiHotBatch>
    {
        public MultiHotBatch Create(int[] indices, int channels, int height, int width, Func<int, float[]> buffer) =>
            new(buffer(indices.Length * channels * height * width), indices, channels, height, width, classes);

        public void Add(MultiHotBatch batch, int i, ImageDataset data, int index, Mat image, Pipeline pipeline, Random rng)
        {
            foreach (var t in data.Tags(index) ?? []) batch.Targets[i * classes + t] = 1;
            pipeline.Run(image, rng, batch.Pixels.AsSpan(i * Plane(batch), Plane(batch)));
        }
    }

    private sealed class DenseCollator(DenseTargets maps) : ICollator<DenseBatch>
    {
        public DenseBatch Create(int[] indices, int channels, int height, int width, Func<int, float[]> buffer) =>
            new(buffer(indices.Length * channels * height * width), buffer(indices.Length * maps.Planes * height * width), maps.Planes,
                indices, channels, height, width);

        public void Add(DenseBatch batch, int i, ImageDataset data, int index, Mat image, Pipeline pipeline, Random rng)
        {
            var polygons = pipeline.Run(image, data.Polygons(index) ?? [], rng, batch.Pixels.AsSpan(i * Plane(batch), Plane(batch)));
            int plane = maps.Planes * batch.Height * batch.Width;
            maps.Fill(polygons, batch.Height, batch.Width, batch.Maps, i * plane);
        }
    }
}
