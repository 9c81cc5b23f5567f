using Podium.Config;
using Podium.Platform;

namespace Podium.Data;

/// <summary>Every sample once per epoch, shuffled (or in order).</summary>
public sealed class PermutationSampler(int count, bool shuffle, int seed) : IEpochSampler
{
    /// <summary>random: each image once per epoch.</summary>
    [Component("random")]
    public sealed record Options : SamplerOptions
    {
        public override IEpochSampler Build(IReadOnlyList<int> labels, int batchSize, int seed) =>
            new PermutationSampler(labels.Count, shuffle: true, seed);
    }

    public int Length => count;

    public int[] Order(int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        if (shuffle) new Random(Seeds.For(seed, epoch, -1)).Shuffle(order);
        return order;
    }

    public string Describe() => shuffle ? "random permutation" : "in order";
}
