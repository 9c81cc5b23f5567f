namespace Podium.Evaluation;

/// <summary>
/// Competition metrics of single-label predictions, by name (what train.monitor, evaluate and cv report),
/// computed as scikit-learn computes them: every class of the run counts (labels=range(K)), an
/// undefined precision/recall/F1 is 0, ROC-AUC and PR-AUC are one-vs-rest over the classes present in
/// the truth (scikit-learn refuses one without positives), ties in scores are handled as it does.
/// </summary>
public static class Metrics
{
    /// <summary>What a metric reads: the truth, the probabilities, their argmax and the class count.</summary>
    private sealed record Scored(IReadOnlyList<int> Truth, float[,] Probabilities, int[] Predicted, int K);

    /// <summary>Every metric, registered once: its name, whether lower is better, and how it is computed.</summary>
    private static readonly (string Name, bool LowerIsBetter, Func<Scored, double> Compute)[] Registered =
    [
        ("accuracy", false, s => Accuracy(s.Truth, s.Predicted)),
        ("top2_accuracy", false, s => TopK(s.Truth, s.Probabilities, 2)),
        ("top3_accuracy", false, s => TopK(s.Truth, s.Probabilities, 3)),
        ("top5_accuracy", false, s => TopK(s.Truth, s.Probabilities, 5)),
        .. from score in new[] { "f1", "precision", "recall" }
           from average in new[] { "macro", "micro", "weighted" }
           select ($"{score}_{average}", false, (Func<Scored, double>)(s => Averaged(score, average, s.Truth, s.Predicted, s.K))),
        ("balanced_accuracy", false, s => BalancedAccuracy(s.Truth, s.Predicted, s.K)),
        ("kappa", false, s => Kappa(s.Truth, s.Predicted, s.K, KappaWeights.None)),
        ("kappa_linear", false, s => Kappa(s.Truth, s.Predicted, s.K, KappaWeights.Linear)),
        ("kappa_quadratic", false, s => Kappa(s.Truth, s.Predicted, s.K, KappaWeights.Quadratic)),
        ("roc_auc", false, s => Mean(OneVsRest(RankMetrics.RocAuc, s.Truth, s.Probabilities), s.Truth, s.K, weighted: false)),
        ("roc_auc_weighted", false, s => Mean(OneVsRest(RankMetrics.RocAuc, s.Truth, s.Probabilities), s.Truth, s.K, weighted: true)),
        ("pr_auc", false, s => Mean(OneVsRest(RankMetrics.AveragePrecision, s.Truth, s.Probabilities), s.Truth, s.K, weighted: false)),
        ("log_loss", true, s => ClassificationMetrics.LogLoss(s.Probabilities, s.Truth)),
        ("ece", true, s => ExpectedCalibrationError(s.Truth, s.Probabilities)),
    ];

    /// <summary>Metric names, with whether lower is better.</summary>
    public static readonly IReadOnlyDictionary<string, bool> Names = Registered.ToDictionary(m => m.Name, m => m.LowerIsBetter);

    /// <summary>A named metric of the predictions (probabilities per class; hard predictions are their argmax).</summary>
    public static double Compute(string name, IReadOnlyList<int> truth, float[,] probabilities)
    {
        var metric = Registered.FirstOrDefault(m => m.Name == name).Compute
            ?? throw new ConfigException($"unknown metric '{name}' ({string.Join(", ", Names.Keys)})");
        return metric(new Scored(truth, probabilities, ClassificationMetrics.ArgMax(probabilities), probabilities.GetLength(1)));
    }

    public static double Accuracy(IReadOnlyList<int> truth, IReadOnlyList<int> predicted) =>
        truth.Count == 0 ? 0 : truth.Where((t, i) => t == predicted[i]).Count() / (double)truth.Count;

    /// <summary>The true class among the k highest scores; of tied scores the higher class index ranks first (scikit-learn's
    /// rule).</summary>
    public static double TopK(IReadOnlyList<int> truth, float[,] scores, int k)
    {
        int n = truth.Count, classes = scores.GetLength(1), hits = 0;
        for (int i = 0; i < n; i++)
        {
            float own = scores[i, truth[i]];
            int above = 0;
            for (int c = 0; c < classes; c++)
                if (scores[i, c] > own || (scores[i, c] == own && c > truth[i])) above++;
            if (above < k) hits++;
        }
        return n == 0 ? 0 : hits / (double)n;
    }

    /// <summary>Per-class precision, recall, F1 and support with labels = 0..k−1 (zero_division = 0).</summary>
    public static (double[] Precision, double[] Recall, double[] F1, int[] Support, int[] Tp,
        int[] PredictedAs) PerClass(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int k)
    {
        var (tp, support, predictedAs) = (new int[k], new int[k], new int[k]);
        for (int i = 0; i < truth.Count; i++)
        {
            support[truth[i]]++;
            predictedAs[predicted[i]]++;
            if (truth[i] == predicted[i]) tp[truth[i]]++;
        }
        var (p, r, f) = (new double[k], new double[k], new double[k]);
        for (int c = 0; c < k; c++)
        {
            p[c] = predictedAs[c] == 0 ? 0 : tp[c] / (double)predictedAs[c];
            r[c] = support[c] == 0 ? 0 : tp[c] / (double)support[c];
            f[c] = tp[c] == 0 ? 0 : 2.0 * tp[c] / (support[c] + predictedAs[c]);
        }
        return (p, r, f, support, tp, predictedAs);
    }

    /// <summary>precision_/recall_/f1_ with macro, micro or weighted averaging (scikit-learn's average=).</summary>
    private static double Averaged(string score, string average, IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int k)
    {
        var pc = PerClass(truth, predicted, k);
        double[] values = score switch { "precision" => pc.Precision, "recall" => pc.Recall, _ => pc.F1 };
        switch (average)
        {
            // Over the classes the truth or the predictions hold, as scikit-learn's default: a class with no validation image
            // (a class of one image trains only) would otherwise count as a zero.
            case "macro":
                var seen = Enumerable.Range(0, k).Where(c => pc.Support[c] > 0 || pc.PredictedAs[c] > 0).ToList();
                return seen.Count == 0 ? 0 : seen.Average(c => values[c]);
            case "weighted":
                int total = pc.Support.Sum();
                return total == 0 ? 0 : values.Select((v, c) => v * pc.Support[c]).Sum() / total;
            case "micro":
                // Single-label: every error is one false positive and one false negative, so all three are accuracy.
                int tp = pc.Tp.Sum();
                return truth.Count == 0 ? 0 : tp / (double)truth.Count;
            default: throw new ArgumentOutOfRangeException(nameof(average), average, "macro, micro or weighted");
        }
    }

    /// <summary>Mean recall over the classes that occur in the truth.</summary>
    public static double BalancedAccuracy(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int k)
    {
        var pc = PerClass(truth, predicted, k);
        var present = Enumerable.Range(0, k).Where(c => pc.Support[c] > 0).ToList();
        return present.Count == 0 ? 0 : present.Average(c => pc.Recall[c]);
    }

    public enum KappaWeights { None, Linear, Quadratic }

    /// <summary>Cohen's kappa: 1 − Σ w·observed / Σ w·expected, expected from the marginals; weights 0/1, |i−j| or (i−j)².</summary>
    public static double Kappa(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int k, KappaWeights weights)
    {
        var confusion = new double[k, k];
        var (rows, cols) = (new double[k], new double[k]);
        for (int i = 0; i < truth.Count; i++) { confusion[truth[i], predicted[i]]++; rows[truth[i]]++; cols[predicted[i]]++; }
        double n = truth.Count, observed = 0, expected = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                double w = weights switch
                {
                    KappaWeights.Linear => Math.Abs(i - j),
                    KappaWeights.Quadratic => (i - j) * (i - j),
                    _ => i == j ? 0 : 1
                };
                observed += w * confusion[i, j];
                expected += w * rows[i] * cols[j] / n;
            }
        return expected == 0 ? double.NaN : 1 - observed / expected;
    }

    /// <summary>A binary ranking metric of each class's scores against the rest (NaN for a class without positives or negatives).</summary>
    public static double[] OneVsRest(Func<IReadOnlyList<double>, IReadOnlyList<bool>, double> metric, IReadOnlyList<int> truth,
        float[,] scores)
    {
        int n = truth.Count, k = scores.GetLength(1);
        var result = new double[k];
        var column = new double[n];
        var positive = new bool[n];
        for (int c = 0; c < k; c++)
        {
            for (int i = 0; i < n; i++) { column[i] = scores[i, c]; positive[i] = truth[i] == c; }
            result[c] = metric(column, positive);
        }
        return result;
    }

    /// <summary>The mean of per-class values over the classes present in the truth, plain or weighted by support.</summary>
    private static double Mean(double[] perClass, IReadOnlyList<int> truth, int k, bool weighted)
    {
        var support = new int[k];
        foreach (var t in truth) support[t]++;
        var present = Enumerable.Range(0, k).Where(c => support[c] > 0 && !double.IsNaN(perClass[c])).ToList();
        if (present.Count == 0) return double.NaN;
        return weighted ? present.Sum(c => perClass[c] * support[c]) / present.Sum(c => support[c]) : present.Average(c => perClass[c]);
    }

    /// <summary>Expected calibration error (Guo et al. 2017): 15 equal-width bins (lo, hi] on the top probability, Σ n_b/N · |accuracy_b −
    /// confidence_b|.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<int> truth, float[,] probabilities, int bins = 15)
    {
        int n = truth.Count;
        var predicted = ClassificationMetrics.ArgMax(probabilities);
        var (count, correct, confidence) = (new int[bins], new int[bins], new double[bins]);
        // The edges as numpy's linspace makes them (i·step, the last exactly 1), which the bins compare against.
        double step = 1.0 / bins;
        double Edge(int i) => i == bins ? 1.0 : i * step;
        for (int i = 0; i < n; i++)
        {
            double conf = probabilities[i, predicted[i]];
            int b = 0;
            while (b < bins && !(conf > Edge(b) && conf <= Edge(b + 1))) b++;
            if (b == bins) continue; // a confidence of 0 falls in no bin
            count[b]++;
            confidence[b] += conf;
            if (predicted[i] == truth[i]) correct[b]++;
        }
        double total = 0;
        for (int b = 0; b < bins; b++)
            if (count[b] > 0) total += count[b] / (double)n * Math.Abs(correct[b] / (double)count[b] - confidence[b] / count[b]);
        return total;
    }
}
