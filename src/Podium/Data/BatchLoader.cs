using System.Collections.Concurrent;
using System.Diagnostics;
using Podium.Augment;

namespace Podium.Data;

/// <summary>One prepared batch: normalised float CHW pixels and labels, ready to become tensors.</summary>
public sealed class Batch(float[] pixels, long[] labels, int[] indices, int channels, int height, int width, float[]? targets = null, float[]? maps = null)
{
    /// <summary>Dense per-pixel targets (text detection: maps per sample, each H×W), row-major [Count, maps, H, W]; null otherwise.</summary>
    public float[]? Maps { get; } = maps;
    public int Height => height;
    public int Width => width;
    public float[] Pixels { get; } = pixels;
    public long[] Labels { get; } = labels;
    /// <summary>Multi-label data: the multi-hot targets, row-major [Count, classes]; null otherwise.</summary>
    public float[]? Targets { get; } = targets;
    public long[] TargetShape => [Count, Targets is null ? 0 : Targets.Length / Math.Max(1, Count)];
    /// <summary>Indices into the loader's dataset, in batch order.</summary>
    public int[] Indices { get; } = indices;
    public int Count => Indices.Length;
    public long[] Shape => [Count, channels, height, width];
    /// <summary>How long the consumer waited for this batch (0 when it was already prepared).</summary>
    public double WaitMs { get; internal set; }
    /// <summary>Worker time spent decoding this batch's images (or reading them from the cache).</summary>
    public double DecodeMs { get; internal set; }
    /// <summary>Worker time spent in the online augmentation pipeline (transforms, resize, normalise).</summary>
    public double AugmentMs { get; internal set; }
}

/// <summary>Per-pixel targets made from a sample's transformed polygons: <paramref name="Planes"/> maps of H×W, which
/// <paramref name="Fill"/>(polygons, H, W, buffer, offset) writes, every value of them, into the batch's buffer.</summary>
public sealed record DenseTargets(int Planes, Action<IReadOnlyList<Polygon>, int, int, float[], int> Fill);

/// <summary>
/// Decodes and transforms batches on background threads, a bounded number ahead of the consumer,
/// and hands them over in order. Each sample's randomness is seeded from (seed, epoch, index), so
/// a run is the same whatever the thread count. Unlike TorchSharp's DataLoader it prefetches,
/// so the model rarely waits; the wait that remains is measured per batch.
/// </summary>
/// <param name="maps">Text detection: the dense targets of a sample, made from its transformed polygons.</param>
public sealed class BatchLoader(ImageDataset data, Pipeline pipeline, int channels, int batchSize,
    bool shuffle, bool dropLast, int workers, int prefetch, int seed, IEpochSampler? sampler = null,
    DenseTargets? maps = null)
{
    private readonly IEpochSampler _sampler = sampler ?? new PermutationSampler(data.Count, shuffle, seed);

    private readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> _buffers = new();

    public ImageDataset Data { get; } = data;
    public int BatchSize { get; } = batchSize;
    /// <summary>Batches per epoch, from the sampler's epoch length (the data size unless it samples otherwise).</summary>
    public int BatchesPerEpoch => dropLast && EpochLength >= BatchSize ? EpochLength / BatchSize : (EpochLength + BatchSize - 1) / BatchSize;
    private int EpochLength => _sampler.Length;

    public IEpochSampler Sampler => _sampler;

    /// <summary>The samples of an epoch in order (from the sampler: a seeded permutation by default).</summary>
    public int[] Order(int epoch) => _sampler.Order(epoch);

    /// <summary>Samples per class that the epoch's batches hold (what the model sees, repeats included).</summary>
    public int[] ClassCounts(int epoch) => ClassCounts(Order(epoch), Math.Min(BatchesPerEpoch * BatchSize, EpochLength));

    /// <summary>Samples per class among the first <paramref name="used"/> of <paramref name="order"/>; multi-label: images per label.</summary>
    public int[] ClassCounts(int[] order, int used)
    {
        if (!Data.MultiLabel) return Samplers.ClassCounts(order, used, Data.Label, Data.Classes.Count);
        var counts = new int[Data.Classes.Count];
        foreach (var i in order.Take(used))
            foreach (var t in Data.Tags(i) ?? []) counts[t]++;
        return counts;
    }

    /// <summary>Takes a batch's buffers back once its tensors exist (the large arrays would otherwise churn the GC's large-object heap).</summary>
    public void Recycle(Batch batch)
    {
        _buffers.GetOrAdd(batch.Pixels.Length, _ => []).Add(batch.Pixels);
        if (batch.Maps is { } dense) _buffers.GetOrAdd(dense.Length, _ => []).Add(dense);
    }

    private float[] Buffer(int length) => _buffers.TryGetValue(length, out var bag) && bag.TryTake(out var reused) ? reused : new float[length];

    public IEnumerable<Batch> Epoch(int epoch)
    {
        var order = Order(epoch);
        // A sample drawn again in the same epoch (sampling with replacement) gets fresh augmentation.
        var occurrence = new int[order.Length];
        var seen = new Dictionary<int, int>();
        for (int k = 0; k < order.Length; k++)
        {
            seen.TryGetValue(order[k], out var n);
            occurrence[k] = n;
            seen[order[k]] = n + 1;
        }
        int count = BatchesPerEpoch;
        var slots = new Batch?[count];
        var window = new SemaphoreSlim(prefetch);
        var gate = new object();
        int next = -1;
        Exception? failure = null;
        bool stopping = false;

        void Work()
        {
            try
            {
                while (true)
                {
                    window.Wait();
                    if (Volatile.Read(ref stopping)) return;
                    int b = Interlocked.Increment(ref next);
                    if (b >= count) return;
                    int start = b * BatchSize;
                    int length = Math.Min(BatchSize, order.Length - start);
                    var batch = Build(order.AsSpan(start, length).ToArray(), occurrence.AsSpan(start, length), epoch);
                    lock (gate) { slots[b] = batch; Monitor.PulseAll(gate); }
                }
            }
            catch (Exception e)
            {
                lock (gate) { failure ??= e; Monitor.PulseAll(gate); }
            }
        }

        var threads = Enumerable.Range(0, Math.Max(1, workers))
            .Select(i => new Thread(Work) { IsBackground = true, Name = $"podium-loader-{i}" }).ToArray();
        foreach (var t in threads) t.Start();
        try
        {
            var clock = new Stopwatch();
            for (int b = 0; b < count; b++)
            {
                Batch batch;
                clock.Restart();
                lock (gate)
                {
                    while (slots[b] is null && failure is null) Monitor.Wait(gate);
                    if (failure is not null) throw failure is PodiumException ? failure : new PodiumException($"data loading failed: {failure.Message}", failure);
                    batch = slots[b]!;
                    slots[b] = null;
                }
                batch.WaitMs = clock.Elapsed.TotalMilliseconds;
                window.Release();
                yield return batch;
            }
        }
        finally
        {
            Volatile.Write(ref stopping, true);
            window.Release(threads.Length);
            foreach (var t in threads) t.Join();
            foreach (var left in slots) if (left is not null) Recycle(left);
            window.Dispose();
        }
    }

    private Batch Build(int[] indices, ReadOnlySpan<int> occurrence, int epoch)
    {
        int h = pipeline.Height, w = pipeline.Width, plane = channels * h * w;
        int length = indices.Length * plane;
        var pixels = Buffer(length);
        var labels = new long[indices.Length];
        int classes = Data.Classes.Count;
        var targets = Data.MultiLabel ? new float[indices.Length * classes] : null;
        int denseLength = maps is null ? 0 : maps.Planes * h * w;
        float[]? dense = maps is null ? null : Buffer(indices.Length * denseLength);
        long decode = 0, augment = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            labels[i] = Data.Label(index);
            if (targets is not null) foreach (var t in Data.Tags(index) ?? []) targets[i * classes + t] = 1;
            var rng = new Random(occurrence[i] == 0 ? SeedFor(seed, epoch, index) : SeedFor(seed ^ occurrence[i] * 0x2545F491, epoch, index));
            long t0 = Stopwatch.GetTimestamp();
            var image = Data.Read(index, channels);
            long t1 = Stopwatch.GetTimestamp();
            if (maps is null) pipeline.Run(image, rng, pixels.AsSpan(i * plane, plane));
            else
            {
                var polygons = pipeline.Run(image, Data.Polygons(index) ?? [], rng, pixels.AsSpan(i * plane, plane));
                maps.Fill(polygons, h, w, dense!, i * denseLength);
            }
            decode += t1 - t0;
            augment += Stopwatch.GetTimestamp() - t1;
        }
        return new Batch(pixels, labels, indices, channels, h, w, targets, dense)
        {
            DecodeMs = Stopwatch.GetElapsedTime(0, decode).TotalMilliseconds,
            AugmentMs = Stopwatch.GetElapsedTime(0, augment).TotalMilliseconds,
        };
    }

    /// <summary>SplitMix64 of (seed, epoch, index): independent, reproducible streams per sample.</summary>
    public static int SeedFor(int seed, int epoch, int index)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)epoch * 0xBF58476D1CE4E5B9UL ^ (ulong)(uint)index * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
