namespace Podium.Evaluation;

/// <summary>
/// Per-class decision thresholds as weights on the probabilities (the decision is argmax_c w_c·p_c; for
/// two classes that is one threshold on p_1, w_0/(w_0+w_1)), tuned on validation by coordinate ascent
/// over log-weights to maximise a decision metric. Saved as the run's thresholds.json and applied by
/// predict. Tuned and scored on the same images the gain is optimistic: k-fold OOF predictions give an
/// honest estimate.
/// </summary>
public sealed record ClassThresholds(string Metric, IReadOnlyList<string> Classes, double[] Weights, double Before, double After)
{
    /// <summary>Metrics that thresholds cannot change (rankings) or should not be tuned for (probability quality).</summary>
    private static readonly string[] NotDecisions = ["roc_auc", "roc_auc_weighted", "pr_auc", "log_loss", "ece"];
    private static readonly double[] Grid = Enumerable.Range(-30, 61).Select(i => i / 10.0).ToArray(); // log-weights e^-3 .. e^3

    public static ClassThresholds Tune(IReadOnlyList<int> truth, float[,] probabilities, IReadOnlyList<string> classes, string metric,
        int rounds = 3)
    {
        if (NotDecisions.Contains(metric))
            throw new PodiumException($"{metric} judges probabilities or rankings, which thresholds do not change; tune for a decision " +
                $"metric (accuracy, f1_macro, kappa_quadratic, ...)");
        double Score(double[] lw) => Metrics.Compute(metric, truth, Weighted(probabilities, lw.Select(Math.Exp).ToArray()));
        var (logW, before, best) = CoordinateAscent.Tune(new double[classes.Count], Grid, Score, Metrics.Names[metric], rounds);
        return new ClassThresholds(metric, classes, logW.Select(Math.Exp).ToArray(), before, best);
    }

    /// <summary>Probabilities times the weights, renormalised per row (so they still read as probabilities).</summary>
    public static float[,] Weighted(float[,] p, double[] weights)
    {
        int n = p.GetLength(0), k = p.GetLength(1);
        var result = new float[n, k];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int c = 0; c < k; c++) sum += p[i, c] * weights[c];
            for (int c = 0; c < k; c++) result[i, c] = (float)(sum == 0 ? p[i, c] : p[i, c] * weights[c] / sum);
        }
        return result;
    }

    public float[,] Apply(float[,] p) => Weighted(p, Weights);

    public void Save(string path, string checkpoint) => ThresholdsFile.Save(path, checkpoint, Metric, Before, After, "weights", Classes,
        Weights);

    public static ClassThresholds Load(string path, string checkpoint, IReadOnlyList<string> classes)
    {
        var (metric, before, after, weights) = ThresholdsFile.Load(path, checkpoint, "weights", classes);
        return new ClassThresholds(metric, classes, weights, before, after);
    }
}
