using OpenCvSharp;
using Podium.Augment;
using Podium.Data;

namespace Podium.Tests;

public class TransformAndLoaderTests
{
    private static Mat Gradient(int w, int h)
    {
        var m = new Mat(h, w, MatType.CV_8UC3);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                m.Set(y, x, new Vec3b((byte)x, (byte)y, 7));
        return m;
    }

    [Fact]
    public void ResizeIgnoresAspectRatio()
    {
        using var t = new AugmentTarget(Gradient(40, 10));
        new Resize(16, 8).Apply(t, new Random(0));
        Assert.Equal((8, 16), (t.Image.Width, t.Image.Height));
    }

    [Fact]
    public void HorizontalFlipMirrorsAlwaysAtP1AndNeverAtP0()
    {
        using var t = new AugmentTarget(Gradient(10, 4));
        new HorizontalFlip(new() { P = 1 }).Apply(t, new Random(0));
        Assert.Equal(new Vec3b(9, 0, 7), t.Image.At<Vec3b>(0, 0));
        new HorizontalFlip(new() { P = 0 }).Apply(t, new Random(0));
        Assert.Equal(new Vec3b(9, 0, 7), t.Image.At<Vec3b>(0, 0));
    }

    [Fact]
    public void RandomResizedCropSamplesWithinScaleAndRatio()
    {
        var crop = new RandomResizedCrop(new() { Size = new(32, 32), Scale = new(0.35, 1.0) });
        var rng = new Random(1);
        for (int i = 0; i < 2000; i++)
        {
            var r = crop.SampleCrop(128, 96, rng);
            Assert.True(r.X >= 0 && r.Y >= 0 && r.Right <= 128 && r.Bottom <= 96, r.ToString());
            double area = (double)r.Width * r.Height / (128 * 96), ratio = (double)r.Width / r.Height;
            // Rounding to whole pixels moves area and ratio a little past the sampled values.
            Assert.InRange(area, 0.35 * 0.97, 1.0);
            Assert.InRange(ratio, 0.75 * 0.97, 4.0 / 3 * 1.03);
        }
        using var t = new AugmentTarget(Gradient(128, 96));
        crop.Apply(t, new Random(2));
        Assert.Equal((32, 32), (t.Image.Width, t.Image.Height));
    }

    [Fact]
    public void RandomResizedCropFallsBackToACentreCropAtTheNearestRatio()
    {
        // No crop of at least 90% area fits a 10:1 strip at ratio <= 4/3: torchvision's fallback.
        var r = new RandomResizedCrop(new() { Size = new(8, 8), Scale = new(0.9, 1.0) }).SampleCrop(100, 10, new Random(0));
        Assert.Equal(new Rect(43, 0, 13, 10), r);
    }

    [Fact]
    public void PipelineEndsAtTheModelSizeAndNormalises()
    {
        var p = new Pipeline(new Compose([]), new Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]), 6, 6);
        var dst = new float[3 * 6 * 6];
        p.Run(new Mat(20, 30, MatType.CV_8UC3, new Scalar(255, 0, 255)), new Random(0), dst);
        Assert.All(dst[..36], v => Assert.Equal(1f, v, 5));
        Assert.All(dst[36..72], v => Assert.Equal(-1f, v, 5));
    }

    private sealed class Synthetic(int count) : ImageDataset
    {
        public override int Count => count;
        public override IReadOnlyList<string> Classes => ["a", "b"];
        public override int Label(int index) => index % 2;
        public override string Locate(int index) => $"synthetic#{index}";
        public override Mat Read(int index, int channels) => new(12, 16, MatType.CV_8UC3, new Scalar(index, 255 - index, index * 2 % 256));
    }

    /// <summary>Always the same sample: what weighted sampling does to a minority image.</summary>
    private sealed class Repeat(int count) : IEpochSampler
    {
        public int Length => count;
        public int[] Order(int epoch) => new int[count];
        public string Describe() => "sample 0 again and again";
    }

    [Fact]
    public void AnImageDrawnTwiceInAnEpochIsAugmentedAfresh()
    {
        var pipeline = new Pipeline(new Compose([new RandomResizedCrop(new() { Size = new(8, 8), Scale = new(0.2, 1.0) }),
            TestEnv.Transform("color_jitter: {brightness: 0.5, p: 1}")]),
            new Normalize([0.5], [0.25]), 8, 8);
        var loader = new BatchLoader<LabelBatch>(new Synthetic(10), pipeline, 3, 4, shuffle: true, dropLast: false, workers: 1, prefetch: 1,
            seed: 0,
            Collators.Labels, sampler: new Repeat(4));
        var batch = Assert.Single(loader.Epoch(1));
        Assert.Equal([0, 0, 0, 0], batch.Indices);
        int plane = 3 * 8 * 8;
        var views = Enumerable.Range(0, 4).Select(i => batch.Pixels.AsSpan(i * plane, plane).ToArray()).ToArray();
        for (int a = 0; a < 4; a++)
            for (int b = a + 1; b < 4; b++) Assert.NotEqual(views[a], views[b]);
        Assert.Equal([4, 0], loader.ClassCounts(1)); // four samples, all of class a
    }

    private static List<(float[] Pixels, long[] Labels, int[] Indices)> Epoch(int workers, int prefetch, int epoch = 1)
    {
        var crop = new RandomResizedCrop(new() { Size = new(8, 8), Scale = new(0.2, 1.0) });
        var pipeline = new Pipeline(new Compose([crop, new HorizontalFlip()]),
            new Normalize([0.5], [0.25]), 8, 8);
        var loader = new BatchLoader<LabelBatch>(new Synthetic(37), pipeline, 3, 5, shuffle: true, dropLast: false, workers, prefetch,
            seed: 3, Collators.Labels);
        var result = new List<(float[], long[], int[])>();
        foreach (var b in loader.Epoch(epoch))
        {
            result.Add(((float[])b.Pixels.Clone(), b.Labels, b.Indices));
            loader.Recycle(b);
        }
        return result;
    }

    [Fact]
    public void LoaderCoversEveryIndexOnceInOrderWithMatchingLabels()
    {
        var batches = Epoch(workers: 3, prefetch: 2);
        Assert.Equal(8, batches.Count); // 37 / 5, the last batch kept
        var all = batches.SelectMany(b => b.Indices).ToArray();
        Assert.Equal(Enumerable.Range(0, 37), all.Order());
        Assert.All(batches, b => Assert.Equal(b.Indices.Select(i => (long)(i % 2)), b.Labels));
        Assert.NotEqual(Enumerable.Range(0, 37), all); // shuffled
    }

    [Fact]
    public void LoaderIsReproducibleWhateverTheThreadCount()
    {
        var one = Epoch(workers: 1, prefetch: 1);
        var four = Epoch(workers: 4, prefetch: 6);
        Assert.Equal(one.Count, four.Count);
        for (int i = 0; i < one.Count; i++)
        {
            Assert.Equal(one[i].Indices, four[i].Indices);
            Assert.Equal(one[i].Pixels, four[i].Pixels);
        }
        var nextEpoch = Epoch(workers: 1, prefetch: 1, epoch: 2);
        Assert.NotEqual(one[0].Indices, nextEpoch[0].Indices);
    }

    [Fact]
    public void LoaderStopsCleanlyWhenTheConsumerBreaksEarly()
    {
        var pipeline = new Pipeline(new Compose([]), new Normalize([0.5], [0.25]), 8, 8);
        var loader = new BatchLoader<ImageBatch>(new Synthetic(100), pipeline, 3, 4, true, true, 2, 3, 0, Collators.Images);
        foreach (var _ in loader.Epoch(1)) break; // must not hang or leak threads
        Assert.Equal(25, loader.Epoch(2).Count());
    }

    [Fact]
    public void LoaderSurfacesDecodeErrorsAsOneLine()
    {
        var root = TestEnv.TempDir("loaderr");
        var good = Path.Combine(root, "a.png");
        TestEnv.WriteImage(good, 8, 8, Scalar.All(1));
        var bad = Path.Combine(root, "b.png");
        File.WriteAllBytes(bad, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]); // PNG signature, nothing else
        var data = new FileImageDataset([new ImageFile(good, 0), new ImageFile(bad, 1)], ["x", "y"], root);
        var loader = new BatchLoader<ImageBatch>(data, new Pipeline(new Compose([]), new Normalize([0.5], [0.5]), 8, 8), 3, 2, false, false,
            1, 1, 0, Collators.Images);
        var e = Assert.Throws<PodiumException>(() => loader.Epoch(0).ToList());
        Assert.StartsWith(bad + ": cannot decode image", e.Message);
    }

    [Fact]
    public void StratifiedHoldoutKeepsClassProportionsAndIsSeeded()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => i < 700 ? 0 : i < 950 ? 1 : 2).ToArray();
        var (train, val) = Splits.StratifiedHoldout(labels, 0.2, seed: 5);
        Assert.Equal(1000, train.Length + val.Length);
        Assert.Empty(train.Intersect(val));
        Assert.Equal(140, val.Count(i => labels[i] == 0));
        Assert.Equal(50, val.Count(i => labels[i] == 1));
        Assert.Equal(10, val.Count(i => labels[i] == 2));
        Assert.Equal(val, Splits.StratifiedHoldout(labels, 0.2, seed: 5).Val);
        Assert.NotEqual(val, Splits.StratifiedHoldout(labels, 0.2, seed: 6).Val);
    }

    [Fact]
    public void CacheServesCopiesAndRespectsItsBudget()
    {
        var cached = new CachedDataset(new Synthetic(10), budgetBytes: 12 * 16 * 3 * 4);
        for (int i = 0; i < 10; i++) cached.Read(i, 3).Dispose();
        Assert.Equal(4 * 12 * 16 * 3, cached.BytesUsed);
        using var a = cached.Read(0, 3);
        a.SetTo(Scalar.All(0)); // a transform writing into its input must not touch the cache
        using var b = cached.Read(0, 3);
        Assert.Equal(new Vec3b(0, 255, 0), b.At<Vec3b>(0, 0));
    }
}
