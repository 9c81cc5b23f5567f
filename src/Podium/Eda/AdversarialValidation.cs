using Podium.Evaluation;
using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Eda;

/// <summary>
/// Adversarial validation: a quick classifier learns to tell train from test images by what the
/// scan measured (colour statistics and histograms, brightness, contrast, sharpness, size, file
/// compression, a coarse 8x8 layout). Its cross-validated AUC says how different the two sets are
/// (0.5: indistinguishable); its out-of-fold scores rank train images by how test-like they are.
/// The classifier is L2-regularised logistic regression fitted by Newton's method: exact, seeded
/// only through the fold assignment, and fast on a few thousand images. The penalty is chosen from
/// a grid by out-of-fold log loss: a hundred features overfit a few hundred images otherwise.
/// </summary>
public static class AdversarialValidation
{
    public static readonly double[] Penalties = [0.1, 1, 10, 100, 1000];

    public static AdversarialResult Run(IReadOnlyList<ImageFacts> train, IReadOnlyList<ImageFacts> test, int folds = 5, int seed = 0)
    {
        if (train.Count < folds
            || test.Count < folds) throw new PodiumException($"adversarial validation needs at least {folds} train and {folds} test " +
            $"images (got {train.Count} and {test.Count})");
        var rows = train.Concat(test).Select(Features).ToArray();
        var isTest = train.Select(_ => 0).Concat(test.Select(_ => 1)).ToArray();
        int n = rows.Length, d = rows[0].Length;
        Standardize(rows);
        var fold = Data.Splits.StratifiedKFold(isTest, folds, seed);
        using (NewDisposeScope())
        {
            var x = Design(rows);
            var y = tensor(isTest.Select(v => (double)v).ToArray(), dtype: ScalarType.Float64);
            double[] OutOfFold(double l2)
            {
                var scores = new double[n];
                for (int f = 0; f < folds; f++)
                {
                    using var scope = NewDisposeScope();
                    var fit = tensor(Enumerable.Range(0, n).Where(i => fold[i] != f).Select(i => (long)i).ToArray());
                    var held = Enumerable.Range(0, n).Where(i => fold[i] == f).ToArray();
                    var w = Fit(x.index_select(0, fit), y.index_select(0, fit), l2);
                    var p = sigmoid(x.index_select(0, tensor(held.Select(i => (long)i).ToArray())).matmul(w)).data<double>().ToArray();
                    for (int j = 0; j < held.Length; j++) scores[held[j]] = p[j];
                }
                return scores;
            }
            double LogLoss(double[] p) => -p.Select((v, i) => Math.Log(Math.Clamp(isTest[i] == 1 ? v : 1 - v, 1e-15, 1))).Average();
            var (best, bestScores) = Penalties.Select(l2 => (l2, OutOfFold(l2))).MinBy(t => LogLoss(t.Item2));
            var all = Fit(x, y, best).data<double>().ToArray();
            var strongest = FeatureNames.Select((name, k) => (name, all[k + 1])).OrderByDescending(t => Math.Abs(t.Item2)).Take(5).ToList();
            double auc = RankMetrics.RocAuc(bestScores, isTest.Select(v => v == 1).ToArray());
            return new AdversarialResult(auc, bestScores[..train.Count], bestScores[train.Count..], strongest, best);
        }
    }

    /// <summary>Newton-Raphson for L2-regularised logistic regression (the intercept unpenalised).</summary>
    private static Tensor Fit(Tensor x, Tensor y, double l2)
    {
        long d = x.shape[1];
        var w = zeros(d, dtype: ScalarType.Float64);
        var penalty = eye(d, dtype: ScalarType.Float64).Times(l2);
        penalty[0, 0] = tensor(0.0, dtype: ScalarType.Float64);
        for (int iteration = 0; iteration < 25; iteration++)
        {
            using var scope = NewDisposeScope();
            var p = sigmoid(x.matmul(w));
            var gradient = x.t().matmul(p - y).Plus(penalty.matmul(w));
            var hessian = (x.t() * (p * p.SubtractedFrom(1))).matmul(x).Plus(penalty).Plus(eye(d, dtype: ScalarType.Float64).Times(1e-9));
            var step = linalg.solve(hessian, gradient);
            w = (w - step).MoveToOuterDisposeScope();
            if (step.abs().max().item<double>() < 1e-8) break;
        }
        return w;
    }

    private static Tensor Design(double[][] rows)
    {
        int n = rows.Length, d = rows[0].Length;
        var flat = new double[n * (d + 1)];
        for (int i = 0; i < n; i++)
        {
            flat[i * (d + 1)] = 1; // intercept
            Array.Copy(rows[i], 0, flat, i * (d + 1) + 1, d);
        }
        return tensor(flat, [n, d + 1], dtype: ScalarType.Float64);
    }

    private static void Standardize(double[][] rows)
    {
        int d = rows[0].Length;
        for (int k = 0; k < d; k++)
        {
            double mean = rows.Average(r => r[k]);
            double std = Math.Sqrt(rows.Average(r => (r[k] - mean) * (r[k] - mean)));
            foreach (var r in rows) r[k] = std > 1e-12 ? (r[k] - mean) / std : 0;
        }
    }

    public static readonly string[] FeatureNames =
    [
        "mean R", "mean G", "mean B", "std R", "std G", "std B", "brightness", "contrast", "log sharpness",
        "log width", "log height", "log aspect", "log bytes per pixel", "grayscale",
        .. new[] { "R", "G", "B" }.SelectMany(c => Enumerable.Range(0, 8).Select(b => $"{c} histogram bin {b}")),
        .. Enumerable.Range(0, 64).Select(k => $"layout {k / 8},{k % 8}"),
    ];

    public static double[] Features(ImageFacts f)
    {
        if (!f.Readable) throw new ArgumentException($"{f.Path}: unreadable images have no features");
        var v = new List<double>(FeatureNames.Length);
        v.AddRange(f.Mean);
        v.AddRange(f.Std);
        v.Add(f.Brightness);
        v.Add(f.Contrast);
        v.Add(Math.Log(1 + f.Sharpness));
        v.Add(Math.Log(f.Width));
        v.Add(Math.Log(f.Height));
        v.Add(Math.Log(f.Aspect));
        v.Add(Math.Log((double)f.Bytes / ((double)f.Width * f.Height)));
        v.Add(f.Channels == 1 || f.GrayAsColor ? 1 : 0);
        v.AddRange(f.ColorHistogram.Select(h => (double)h));
        // An 8x8 layout from the normalised 32x32 thumbnail: where the light and dark parts are.
        for (int by = 0; by < 8; by++)
            for (int bx = 0; bx < 8; bx++)
            {
                double s = 0;
                for (int y = 0; y < 4; y++)
                    for (int x = 0; x < 4; x++) s += f.Thumb[(by * 4 + y) * ImageFacts.ThumbSide + bx * 4 + x];
                v.Add(s);
            }
        return [.. v];
    }
}
