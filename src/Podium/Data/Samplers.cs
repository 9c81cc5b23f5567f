using Podium.Config;

namespace Podium.Data;

public static class Samplers
{
    /// <summary>Every sampler: the options records deriving from <see cref="SamplerOptions"/>.</summary>
    public static readonly ComponentRegistry<SamplerOptions> Registry = new("sampler", "random");

    /// <summary>The configured sampler (train.sampler).</summary>
    public static IEpochSampler Create(ComponentConfig c, IReadOnlyList<int> labels, int batchSize, int seed) =>
        Registry.Options(c, "train.sampler").Build(labels, batchSize, seed);

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
