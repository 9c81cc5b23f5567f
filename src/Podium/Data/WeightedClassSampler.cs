using Podium.Config;
using Podium.Platform;

namespace Podium.Data;

/// <summary>
/// PyTorch's WeightedRandomSampler with weights from class counts: a sample of class c is drawn
/// with probability ∝ n_c^-power, with replacement, as many draws as samples. power 1 balances the
/// classes in expectation (minority images repeat, majority images are skipped); 0.5 is halfway.
/// </summary>
public sealed class WeightedClassSampler : IEpochSampler
{
    /// <summary>weighted: draws ∝ class count^-power, with replacement.</summary>
    [Component("weighted")]
    public sealed record Options : SamplerOptions
    {
        /// <summary>1 balances the classes, 0.5 goes halfway, 0 is plain random with replacement.</summary>
        [NonNegative] public double Power { get; init; } = 1;

        public override IEpochSampler Build(IReadOnlyList<int> labels, int batchSize, int seed) =>
            new WeightedClassSampler(labels, Power, seed);
    }

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
