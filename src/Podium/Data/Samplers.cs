using Podium.Config;

namespace Podium.Data;

public static class Samplers
{
    public static IEpochSampler Create(SamplerConfig c, IReadOnlyList<int> labels, int batchSize, int seed) => c.Name switch
    {
        "random" => new PermutationSampler(labels.Count, shuffle: true, seed),
        "weighted" => new WeightedClassSampler(labels, c.Power, seed),
        "balanced" => new ClassBalancedBatchSampler(labels, batchSize, seed),
        _ => throw new ConfigException($"train.sampler.name: unknown sampler '{c.Name}' (random, weighted, balanced)"),
    };

    /// <summary>Samples per class among the first <paramref name="used"/> entries of an order (the batches an epoch actually
    /// runs).</summary>
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
