using Podium.Config;
using Podium.Platform;

namespace Podium.Data;

/// <summary>
/// Class-balanced batches: every batch holds batch_size / K images of each of the K classes (the
/// remainder to classes in rotating order), each class drawn from its own reshuffled queue, so a
/// minority class repeats and a majority class is walked through over epochs. Epoch length = data size.
/// </summary>
public sealed class ClassBalancedBatchSampler(IReadOnlyList<int> labels, int batchSize, int seed) : IEpochSampler
{
    /// <summary>balanced: equal classes in every batch.</summary>
    [Component("balanced")]
    public sealed record Options : SamplerOptions
    {
        public override IEpochSampler Build(IReadOnlyList<int> labels, int batchSize, int seed) =>
            new ClassBalancedBatchSampler(labels, batchSize, seed);
    }

    public int Length => labels.Count;
    private readonly int[][] _members = labels.Select((l, i) => (l,
        i)).GroupBy(t => t.l).OrderBy(g => g.Key).Select(g => g.Select(t => t.i).ToArray()).ToArray();

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
