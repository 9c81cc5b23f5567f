using Podium.Config;

namespace Podium.Data;

/// <summary>
/// Which samples an epoch visits, in which order. A pure function of (seed, epoch): nothing to
/// save for a resumed run, and the same for any number of loader threads.
/// </summary>
public interface IEpochSampler
{
    /// <summary>Samples per epoch (the length of every <see cref="Order"/>).</summary>
    int Length { get; }
    /// <summary>Indices into the dataset; may repeat (sampling with replacement).</summary>
    int[] Order(int epoch);
    string Describe();
}

/// <summary>Every sample once per epoch, shuffled (or in order).</summary>
public sealed class PermutationSampler(int count, bool shuffle, int seed) : IEpochSampler
{
    public int Length => count;

    public int[] Order(int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        if (shuffle) new Random(Seeds.For(seed, epoch, -1)).Shuffle(order);
        return order;
    }

    public string Describe() => shuffle ? "random permutation" : "in order";
}

/// <summary>
/// PyTorch's WeightedRandomSampler with weights from class counts: a sample of class c is drawn
/// with probability ∝ n_c^-power, with replacement, as many draws as samples. power 1 balances the
/// classes in expectation (minority images repeat, majority images are skipped); 0.5 is halfway.
/// </summary>
public sealed class WeightedClassSampler : IEpochSampler
{
    private readonly double[] _cumulative;
    private readonly int _seed;
    private readonly double _power;

    public WeightedClassSampler(IReadOnlyList<int> labels, double power, int seed)
    {
        _seed = seed;
        _power = power;
        var counts = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        _cumulative = new double[labels.Count];
        double total = 0;
        for (int i = 0; i < labels.Count; i++) _cumulative[i] = total += Math.Pow(counts[labels[i]], -power);
    }

    public int Length => _cumulative.Length;

    public int[] Order(int epoch)
    {
        var rng = new Random(Seeds.For(_seed, epoch, -2));
        var order = new int[_cumulative.Length];
        double total = _cumulative[^1];
        for (int k = 0; k < order.Length; k++)
        {
            int i = Array.BinarySearch(_cumulative, rng.NextDouble() * total);
            order[k] = Math.Min(i < 0 ? ~i : i, _cumulative.Length - 1);
        }
        return order;
    }

    public string Describe() => $"weighted by class count^-{_power:0.##}, with replacement";
}

/// <summary>
/// Class-balanced batches: every batch holds batch_size / K images of each of the K classes (the
/// remainder to classes in rotating order), each class drawn from its own reshuffled queue, so a
/// minority class repeats and a majority class is walked through over epochs. Epoch length = data size.
/// </summary>
public sealed class ClassBalancedBatchSampler(IReadOnlyList<int> labels, int batchSize, int seed) : IEpochSampler
{
    public int Length => labels.Count;
    private readonly int[][] _members = labels.Select((l, i) => (l, i)).GroupBy(t => t.l).OrderBy(g => g.Key).Select(g => g.Select(t => t.i).ToArray()).ToArray();

    public int[] Order(int epoch)
    {
        var rng = new Random(Seeds.For(seed, epoch, -3));
        int k = _members.Length;
        var queues = _members.Select(m => new Queue<int>()).ToArray();
        int Next(int c)
        {
            if (queues[c].Count == 0)
            {
                var refill = _members[c].ToArray();
                rng.Shuffle(refill);
                foreach (var i in refill) queues[c].Enqueue(i);
            }
            return queues[c].Dequeue();
        }
        var order = new List<int>(labels.Count);
        int rotation = 0;
        while (order.Count < labels.Count)
        {
            int size = Math.Min(batchSize, labels.Count - order.Count);
            var batch = new List<int>(size);
            for (int j = 0; j < size; j++) batch.Add(Next((rotation + j) % k));
            rotation = (rotation + size) % k;
            rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batch));
            order.AddRange(batch);
        }
        return [.. order];
    }

    public string Describe() => "class-balanced batches";
}

public static class Samplers
{
    public static IEpochSampler Create(SamplerConfig c, IReadOnlyList<int> labels, int batchSize, int seed) => c.Name switch
    {
        "random" => new PermutationSampler(labels.Count, shuffle: true, seed),
        "weighted" => new WeightedClassSampler(labels, c.Power, seed),
        "balanced" => new ClassBalancedBatchSampler(labels, batchSize, seed),
        _ => throw new ConfigException($"train.sampler.name: unknown sampler '{c.Name}' (random, weighted, balanced)"),
    };

    /// <summary>Samples per class among the first <paramref name="used"/> entries of an order (the batches an epoch actually runs).</summary>
    public static int[] ClassCounts(int[] order, int used, Func<int, int> label, int classes)
    {
        var counts = new int[classes];
        for (int k = 0; k < Math.Min(used, order.Length); k++)
        {
            int l = label(order[k]);
            if (l >= 0 && l < classes) counts[l]++;
        }
        return counts;
    }
}
