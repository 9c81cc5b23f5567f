using Podium.Platform;

namespace Podium.Data;

/// <summary>
/// Every sample once per epoch in batches of similar width (text lines, whose batch is padded to its widest): a seeded
/// permutation cut into pools of <c>pool</c> batches, each pool sorted by width and cut into batches, the batches then shuffled,
/// so padding shrinks while every epoch still mixes lines from the whole data.
/// </summary>
public sealed class WidthBucketSampler(IReadOnlyList<double> widths, int batchSize, int seed, int pool = 32) : IEpochSampler
{
    public int Length => widths.Count;

    public int[] Order(int epoch)
    {
        var rng = new Random(Seeds.For(seed, epoch, -1));
        var order = Enumerable.Range(0, widths.Count).ToArray();
        rng.Shuffle(order);
        var batches = order.Chunk(batchSize * pool).SelectMany(p => p.OrderBy(i => widths[i]).Chunk(batchSize)).ToArray();
        // A short batch stays last, where a loader dropping incomplete batches drops it.
        var full = batches.Where(b => b.Length == batchSize).ToArray();
        rng.Shuffle(full);
        return [.. full.SelectMany(b => b), .. batches.Where(b => b.Length < batchSize).SelectMany(b => b)];
    }

    public string Describe() => $"random batches of similar widths (pools of {pool} batches)";
}
