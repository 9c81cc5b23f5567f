namespace Podium.Evaluation;

/// <summary>
/// Ensembles of saved predictions (PredictionFile: the same images, the same classes): soft vote (mean
/// probabilities), hard vote (the share of members voting each class), weighted soft vote (weights fitted
/// on labelled validation or out-of-fold predictions), rank averaging (per-class ranks, for ranking
/// metrics) and stacking (a multinomial logistic regression on the members' log-probabilities).
/// </summary>
public static class Ensembles
{
    public static readonly string[] Methods = ["soft", "hard", "weighted", "rank", "stack"];

    public static PredictionFile Mean(IReadOnlyList<PredictionFile> members) => Weighted(members, Enumerable.Repeat(1.0 / members.Count,
        members.Count).ToArray());

    public static PredictionFile Weighted(IReadOnlyList<PredictionFile> members, double[] weights)
    {
        var first = members[0];
        int n = first.Count, k = first.Classes.Count;
        var p = new float[n, k];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++)
            {
                double sum = 0;
                for (int m = 0; m < members.Count; m++) sum += weights[m] * members[m].Probabilities[i, c];
                p[i, c] = (float)sum;
            }
        return first with { Probabilities = p };
    }

    /// <summary>Each image's class shares of the members' argmax votes (ties go to the class with the higher mean probability).</summary>
    public static PredictionFile Hard(IReadOnlyList<PredictionFile> members)
    {
        var mean = Mean(members);
        int n = mean.Count, k = mean.Classes.Count;
        var p = new float[n, k];
        foreach (var m in members)
        {
            var votes = ClassificationMetrics.ArgMax(m.Probabilities);
            for (int i = 0; i < n; i++) p[i, votes[i]] += 1f / members.Count;
        }
        // A tie between vote shares is broken by a vanishing nudge from the soft vote.
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++) p[i, c] += 1e-6f * mean.Probabilities[i, c];
        return mean with { Probabilities = p };
    }

    /// <summary>Per class, each member's scores replaced by their rank among the images (0..1, ties averaged), then averaged.</summary>
    public static PredictionFile Rank(IReadOnlyList<PredictionFile> members)
    {
        var first = members[0];
        int n = first.Count, k = first.Classes.Count;
        var p = new float[n, k];
        foreach (var m in members)
            for (int c = 0; c < k; c++)
            {
                var ranks = RankMetrics.AverageRanks(Enumerable.Range(0, n).Select(i => (double)m.Probabilities[i, c]).ToArray());
                for (int i = 0; i < n; i++) p[i, c] += (float)(n == 1 ? 1 : (ranks[i] - 1) / (n - 1)) / members.Count;
            }
        return first with { Probabilities = p };
    }

    /// <summary>
    /// Soft-vote weights (non-negative, summing to 1) that maximise <paramref name="metric"/> on labelled
    /// predictions: coordinate search from equal weights over a 0.05 grid, a few rounds.
    /// </summary>
    public static double[] FitWeights(IReadOnlyList<PredictionFile> members, string metric, int rounds = 4)
    {
        int m = members.Count;
        var w = Enumerable.Repeat(1.0 / m, m).ToArray();
        double sign = Metrics.Names[metric] ? -1 : 1;
        double Score(double[] weights) => sign * Metrics.Compute(metric, members[0].Labels, Weighted(members,
            Normalised(weights)).Probabilities);
        double best = Score(w);
        for (int round = 0; round < rounds; round++)
        {
            bool improved = false;
            for (int j = 0; j < m; j++)
            {
                double keep = w[j];
                for (int g = 0; g <= 20; g++)
                {
                    w[j] = g / 20.0;
                    if (w.Sum() == 0) continue;
                    double s = Score(w);
                    if (s > best + 1e-12) { best = s; keep = w[j]; improved = true; }
                }
                w[j] = keep;
            }
            if (!improved) break;
        }
        return Normalised(w);
    }

    private static double[] Normalised(double[] w)
    {
        double sum = w.Sum();
        return w.Select(v => v / sum).ToArray();
    }

    /// <summary>The stacking features of one image: every member's log-probabilities, then a constant.</summary>
    private static double[] Features(IReadOnlyList<PredictionFile> members, int i)
    {
        int k = members[0].Classes.Count;
        var x = new double[members.Count * k + 1];
        for (int m = 0; m < members.Count; m++)
            for (int c = 0; c < k; c++) x[m * k + c] = Math.Log(Math.Max(members[m].Probabilities[i, c], 1e-7f));
        x[^1] = 1;
        return x;
    }

    /// <summary>A multinomial logistic regression (L2 <paramref name="l2"/>, the bias unpenalised) fitted by Newton's method.</summary>
    public sealed class Stacker
    {
        private readonly double[,] _w; // classes x features
        private Stacker(double[,] w) => _w = w;

        public static Stacker Fit(IReadOnlyList<PredictionFile> members, double l2 = 1.0, int iterations = 25)
        {
            var labels = members[0].Labels;
            int n = labels.Length, k = members[0].Classes.Count;
            var xs = Enumerable.Range(0, n).Select(i => Features(members, i)).ToArray();
            int d = xs[0].Length, size = k * d;
            var w = new double[k, d];
            for (int it = 0; it < iterations; it++)
            {
                var grad = new double[size];
                var hess = new double[size, size];
                for (int i = 0; i < n; i++)
                {
                    var p = Softmax(w, xs[i]);
                    for (int a = 0; a < k; a++)
                    {
                        double r = p[a] - (labels[i] == a ? 1 : 0);
                        for (int u = 0; u < d; u++) grad[a * d + u] += r * xs[i][u];
                        for (int b = 0; b < k; b++)
                        {
                            double h = p[a] * ((a == b ? 1 : 0) - p[b]);
                            if (h == 0) continue;
                            for (int u = 0; u < d; u++)
                                for (int v = 0; v < d; v++) hess[a * d + u, b * d + v] += h * xs[i][u] * xs[i][v];
                        }
                    }
                }
                for (int a = 0; a < k; a++)
                    for (int u = 0; u < d; u++)
                    {
                        // The penalty (and a tiny ridge on the bias) keeps the over-parametrised softmax solvable.
                        double lambda = u == d - 1 ? 1e-6 : l2;
                        grad[a * d + u] += lambda * w[a, u];
                        hess[a * d + u, a * d + u] += lambda;
                    }
                var step = Solve(hess, grad);
                double change = 0;
                for (int a = 0; a < k; a++)
                    for (int u = 0; u < d; u++) { w[a, u] -= step[a * d + u]; change = Math.Max(change, Math.Abs(step[a * d + u])); }
                if (change < 1e-8) break;
            }
            return new Stacker(w);
        }

        public PredictionFile Predict(IReadOnlyList<PredictionFile> members)
        {
            var first = members[0];
            int n = first.Count, k = first.Classes.Count;
            var p = new float[n, k];
            for (int i = 0; i < n; i++)
            {
                var q = Softmax(_w, Features(members, i));
                for (int c = 0; c < k; c++) p[i, c] = (float)q[c];
            }
            return first with { Probabilities = p };
        }

        private static double[] Softmax(double[,] w, double[] x)
        {
            int k = w.GetLength(0), d = x.Length;
            var z = new double[k];
            for (int a = 0; a < k; a++)
                for (int u = 0; u < d; u++) z[a] += w[a, u] * x[u];
            double max = z.Max(), sum = 0;
            for (int a = 0; a < k; a++) sum += z[a] = Math.Exp(z[a] - max);
            for (int a = 0; a < k; a++) z[a] /= sum;
            return z;
        }

        /// <summary>Solves the symmetric positive definite system H s = g (Cholesky).</summary>
        private static double[] Solve(double[,] h, double[] g)
        {
            int n = g.Length;
            var l = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++)
                {
                    double sum = h[i, j];
                    for (int t = 0; t < j; t++) sum -= l[i, t] * l[j, t];
                    l[i, j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-12)) : sum / l[j, j];
                }
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                double sum = g[i];
                for (int t = 0; t < i; t++) sum -= l[i, t] * y[t];
                y[i] = sum / l[i, i];
            }
            var s = new double[n];
            for (int i = n - 1; i >= 0; i--)
            {
                double sum = y[i];
                for (int t = i + 1; t < n; t++) sum -= l[t, i] * s[t];
                s[i] = sum / l[i, i];
            }
            return s;
        }
    }

    /// <summary>Stacking scored honestly: each of <paramref name="folds"/> parts of the labelled predictions predicted by a stacker fitted
    /// on the others.</summary>
    public static PredictionFile CrossValidatedStack(IReadOnlyList<PredictionFile> members, int folds, int seed)
    {
        var first = members[0];
        var assignment = Data.Splits.StratifiedKFold(first.Labels, folds, seed);
        int n = first.Count, k = first.Classes.Count;
        var p = new float[n, k];
        for (int f = 0; f < folds; f++)
        {
            var train = Enumerable.Range(0, n).Where(i => assignment[i] != f).ToArray();
            var held = Enumerable.Range(0, n).Where(i => assignment[i] == f).ToArray();
            if (held.Length == 0) continue;
            var stacker = Stacker.Fit(members.Select(m => Subset(m, train)).ToList());
            var predicted = stacker.Predict(members.Select(m => Subset(m, held)).ToList());
            for (int j = 0; j < held.Length; j++)
                for (int c = 0; c < k; c++) p[held[j], c] = predicted.Probabilities[j, c];
        }
        return first with { Probabilities = p };
    }

    private static PredictionFile Subset(PredictionFile f, int[] rows)
    {
        int k = f.Classes.Count;
        var p = new float[rows.Length, k];
        for (int i = 0; i < rows.Length; i++)
            for (int c = 0; c < k; c++) p[i, c] = f.Probabilities[rows[i], c];
        return new PredictionFile(f.Classes, rows.Select(r => f.Paths[r]).ToList(), rows.Select(r => f.Labels[r]).ToArray(), p);
    }
}
