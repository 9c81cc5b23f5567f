namespace Podium.Tuning;

/// <summary>
/// Quasi-random points (a scrambled Halton sequence) mapped through each parameter's uniform measure, as Optuna's QMCSampler:
/// the first n trials cover the space more evenly than n random ones. Parameter k of the space (conditional ones included,
/// whether active or not) is dimension k; trial N is the sequence's point N + 1, so any worker draws the same values for the
/// same trial and no two trials share a point. The seed picks each dimension's digit permutation (its first points are
/// otherwise in step with the other dimensions': 1/11, 2/11... beside 1/13, 2/13...) and a random shift.
/// </summary>
public sealed class QmcSampler(int seed) : ISampler
{
    public IReadOnlyDictionary<string, double>? Suggest(SearchSpace space, IReadOnlyList<Tracking.StudyTrial> trials, int number)
    {
        var rng = new Random(Platform.Seeds.For(seed, 0, -53));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var primes = FirstPrimes(space.Parameters.Count);
        for (var k = 0; k < space.Parameters.Count; k++)
        {
            // Every dimension's permutation and shift are drawn, active or not, so none depends on which others are active.
            var b = primes[k];
            var permutation = new int[b];
            for (var d = 0; d < b; d++) permutation[d] = d;
            rng.Shuffle(permutation.AsSpan(1));
            var shift = rng.NextDouble();
            var p = space.Parameters[k];
            if (!p.Active(texts)) continue;
            var u = Point(number + 1L, b, permutation) + shift;
            values[p.Key] = RandomSampler.FromUnit(p, u >= 1 ? u - 1 : u);
            texts[p.Key] = p.Text(values[p.Key]);
        }
        return values;
    }

    /// <summary>The radical inverse of n in base b with its digits permuted (0 stays 0, so the sum is finite).</summary>
    internal static double Point(long n, int b, int[] permutation)
    {
        double value = 0, scale = 1.0 / b;
        for (; n > 0; n /= b, scale /= b) value += permutation[n % b] * scale;
        return value;
    }

    private static int[] FirstPrimes(int count)
    {
        var primes = new List<int>();
        for (var n = 2; primes.Count < count; n++)
            if (primes.All(p => n % p != 0)) primes.Add(n);
        return [.. primes];
    }
}
