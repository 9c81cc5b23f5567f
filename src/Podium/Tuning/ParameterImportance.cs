namespace Podium.Tuning;

/// <summary>
/// How much each parameter explains of a study's objective, by permutation on a random forest (64 regression trees on
/// bootstrap samples, as Optuna's importance evaluators fit): a parameter's importance is how much the trees' out-of-bag error
/// grows when its column is shuffled, normalised to sum to 1. Log-scale parameters enter as their logarithm, choices as their
/// index. Seeded: the same trials give the same figures.
/// </summary>
public static class ParameterImportance
{
    private const int Trees = 64;
    private const int MaxDepth = 64;

    /// <summary>Importance by parameter (summing to 1; all zero when no split helps), for rows of parameter values (columns in
    /// <paramref name="parameters"/>' order, stored form) and their objective values.</summary>
    public static IReadOnlyDictionary<string, double> Estimate(IReadOnlyList<SearchParameter> parameters, IReadOnlyList<double[]> rows,
        IReadOnlyList<double> values, int seed = 0)
    {
        var d = parameters.Count;
        var x = rows.Select(r => Enumerable.Range(0, d).Select(j => Feature(parameters[j], r[j])).ToArray()).ToArray();
        var y = values.ToArray();
        var n = x.Length;
        var growth = new double[d];
        var rng = new Random(seed);
        for (var t = 0; t < Trees && n >= 2; t++)
        {
            var sample = Enumerable.Range(0, n).Select(_ => rng.Next(n)).ToArray();
            var oob = Enumerable.Range(0, n).Except(sample).ToArray();
            if (oob.Length == 0) continue;
            var tree = Grow(x, y, sample, 0);
            var baseline = oob.Average(i => Math.Pow(tree.Predict(x[i]) - y[i], 2));
            for (var j = 0; j < d; j++)
            {
                var shuffled = oob.Select(i => x[i][j]).ToArray();
                rng.Shuffle(shuffled);
                var error = oob.Select((i, k) =>
                {
                    var row = (double[])x[i].Clone();
                    row[j] = shuffled[k];
                    return Math.Pow(tree.Predict(row) - y[i], 2);
                }).Average();
                growth[j] += Math.Max(0, error - baseline);
            }
        }
        var total = growth.Sum();
        return parameters.Select((p, j) => (p.Key, Share: total > 0 ? growth[j] / total : 0))
            .ToDictionary(e => e.Key, e => e.Share, StringComparer.Ordinal);
    }

    private static double Feature(SearchParameter p, double value) =>
        p is FloatParameter { Log: true } or IntParameter { Log: true } ? Math.Log(value) : value;

    /// <summary>A regression tree: at each node the split (any feature, a midpoint between neighbouring values) that lowers the
    /// squared error most, until a node is pure, single or deep.</summary>
    private static Node Grow(double[][] x, double[] y, int[] rows, int depth)
    {
        var mean = rows.Average(i => y[i]);
        if (depth >= MaxDepth || rows.Length < 2 || rows.All(i => y[i] == y[rows[0]])) return new Node(mean);
        var best = (Gain: 1e-12, Feature: -1, Threshold: 0.0);
        var total = rows.Sum(i => y[i]);
        var squares = rows.Sum(i => y[i] * y[i]);
        var parentError = squares - total * total / rows.Length;
        for (var j = 0; j < x[0].Length; j++)
        {
            var sorted = rows.OrderBy(i => x[i][j]).ToArray();
            double left = 0, leftSquares = 0;
            for (var k = 0; k < sorted.Length - 1; k++)
            {
                left += y[sorted[k]];
                leftSquares += y[sorted[k]] * y[sorted[k]];
                if (x[sorted[k]][j] == x[sorted[k + 1]][j]) continue;
                var (nl, nr) = (k + 1, sorted.Length - k - 1);
                var right = total - left;
                var error = leftSquares - left * left / nl + (squares - leftSquares) - right * right / nr;
                if (parentError - error > best.Gain)
                    best = (parentError - error, j, (x[sorted[k]][j] + x[sorted[k + 1]][j]) / 2);
            }
        }
        if (best.Feature < 0) return new Node(mean);
        var lower = rows.Where(i => x[i][best.Feature] <= best.Threshold).ToArray();
        var upper = rows.Where(i => x[i][best.Feature] > best.Threshold).ToArray();
        return new Node(mean, best.Feature, best.Threshold, Grow(x, y, lower, depth + 1), Grow(x, y, upper, depth + 1));
    }

    private sealed record Node(double Value, int Feature = -1, double Threshold = 0, Node? Lower = null, Node? Upper = null)
    {
        public double Predict(double[] row) => Feature < 0 ? Value : (row[Feature] <= Threshold ? Lower! : Upper!).Predict(row);
    }
}
