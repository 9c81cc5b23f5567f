using System.Collections.Concurrent;
using System.Diagnostics;
using Podium.Augment;
using Podium.Platform;

namespace Podium.Data;

/// <summary>
/// Decodes and transforms batches on background threads, a bounded number ahead of the consumer,
/// and hands them over in order. Each sample's randomness is seeded from (seed, epoch, index), so
/// a run is the same whatever the thread count. Unlike TorchSharp's DataLoader it prefetches,
/// so the model rarely waits; the wait that remains is measured per batch.
/// </summary>
/// <param name="collator">Makes the task's batches: pixels and whatever targets the task trains on.</param>
public sealed class BatchLoader<TBatch>(ImageDataset data, Pipeline pipeline, int channels, int batchSize,
    bool shuffle, bool dropLast, int workers, int prefetch, int seed, ICollator<TBatch> collator, IEpochSampler? sampler = null)
    where TBatch : ImageBatch
{
    private readonly IEpochSampler _sampler = sampler ?? new PermutationSampler(data.Count, shuffle, seed);

    private readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> _buffers = new();

    public ImageDataset Data { get; } = data;
    public int BatchSize { get; } = batchSize;
    /// <summary>Batches per epoch, from the sampler's epoch length (the data size unless it samples otherwise).</summary>
    public int BatchesPerEpoch => dropLast && EpochLength >= BatchSize ? EpochLength / BatchSize : (EpochLength
        + BatchSize - 1) / BatchSize;
    private int EpochLength => _sampler.Length;

    public IEpochSampler Sampler => _sampler;

    /// <summary>The samples of an epoch in order (from the sampler: a seeded permutation by default).</summary>
    public int[] Order(int epoch) => _sampler.Order(epoch);

    /// <summary>Samples per class that the epoch's batches hold (what the model sees, repeats included).</summary>
    public int[] ClassCounts(int epoch) => ClassCounts(Order(epoch), Math.Min(BatchesPerEpoch * BatchSize, EpochLength));

    /// <summary>Samples per class among the first <paramref name="used"/> of <paramref name="order"/>; multi-label: images per
    /// label.</summary>
    public int[] ClassCounts(int[] order, int used)
    {
        if (!Data.MultiLabel) return Samplers.ClassCounts(order, used, Data.Label, Data.Classes.Count);
        var counts = new int[Data.Classes.Count];
        foreach (var i in order.Take(used))
            foreach (var t in Data.Tags(i) ?? []) counts[t]++;
        return counts;
    }

    /// <summary>Takes a batch's buffers back once its tensors exist (the large arrays would otherwise churn the GC's large-object
    /// heap).</summary>
    public void Recycle(ImageBatch batch)
    {
        foreach (var buffer in batch.Buffers()) _buffers.GetOrAdd(buffer.Length, _ => []).Add(buffer);
    }

    private float[] Buffer(int length) => _buffers.TryGetValue(length,
        out var bag) && bag.TryTake(out var reused) ? reused : new float[length];

    public IEnumerable<TBatch> Epoch(int epoch)
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
        var slots = new TBatch?[count];
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
                TBatch batch;
                clock.Restart();
                lock (gate)
                {
                    while (slots[b] is null && failure is null) Monitor.Wait(gate);
                    if (failure is not null) throw failure is PodiumException
                        ? failure : new PodiumException($"data loading failed: {failure.Message}", failure);
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

    private TBatch Build(int[] indices, ReadOnlySpan<int> occurrence, int epoch)
    {
        var batch = collator.Create(indices, channels, pipeline.Height, pipeline.Width, Buffer);
        long decode = 0, augment = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            var rng = new Random(occurrence[i] == 0 ? Seeds.For(seed, epoch, index) : Seeds.For(seed ^ occurrence[i] * 0x2545F491, epoch,
                index));
            long t0 = Stopwatch.GetTimestamp();
            var image = Data.Read(index, channels);
            long t1 = Stopwatch.GetTimestamp();
            collator.Add(batch, i, Data, index, image, pipeline, rng);
            decode += t1 - t0;
            augment += Stopwatch.GetTimestamp() - t1;
        }
        batch.DecodeMs = Stopwatch.GetElapsedTime(0, decode).TotalMilliseconds;
        batch.AugmentMs = Stopwatch.GetElapsedTime(0, augment).TotalMilliseconds;
        return batch;
    }
}
