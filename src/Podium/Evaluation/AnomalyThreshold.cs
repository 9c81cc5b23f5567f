using static Podium.Platform.Invariant;

namespace Podium.Evaluation;

/// <summary>
/// An anomaly detector's decision threshold (an image is anomalous when its score is at least <paramref name="Value"/>) and how
/// it was chosen: a percentile of normal validation scores, or the score where F1 (anomalies as positives) is best.
/// </summary>
public sealed record AnomalyThreshold(double Value, string By, double Percentile)
{
    public string Describe() => By == "f1" ? F($"{Value:G5} (best F1 on the validation images)")
        : F($"{Value:G5} (percentile {Percentile:0.##} of the normal validation scores)");

    /// <summary>The <paramref name="q"/>-th percentile of the values, interpolated linearly between the nearest ranks (numpy's
    /// default).</summary>
    public static double PercentileOf(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) throw new ArgumentException("no values");
        var sorted = values.Order().ToArray();
        double rank = q / 100 * (sorted.Length - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>The score (among those given) whose "at least it" decision has the best F1, the lowest of equals, as the
    /// argmax over scikit-learn's precision_recall_curve; with its F1.</summary>
    public static (double Threshold, double F1) BestF1(IReadOnlyList<double> scores, IReadOnlyList<bool> anomalous)
    {
        long positives = anomalous.Count(a => a);
        if (positives == 0) throw new ArgumentException("no anomalies to choose by F1");
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        (double Threshold, double F1) best = (double.NaN, -1);
        long tp = 0, fp = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            for (int j = start; j <= end; j++)
                if (anomalous[order[j]]) tp++; else fp++;
            double f1 = 2.0 * tp / (tp + fp + positives);
            if (f1 >= best.F1) best = (scores[order[start]], f1);
            start = end + 1;
        }
        return best;
    }

    /// <summary>Choose on validation scores: <paramref name="by"/> is percentile, f1, or auto (f1 when there are anomalies).</summary>
    public static AnomalyThreshold Choose(IReadOnlyList<double> scores, IReadOnlyList<bool> anomalous, string by, double percentile)
    {
        bool anyAnomaly = anomalous.Any(a => a);
        if (by == "auto") by = anyAnomaly ? "f1" : "percentile";
        if (by == "f1") return new(BestF1(scores, anomalous).Threshold, "f1", percentile);
        var normal = scores.Where((_, i) => !anomalous[i]).ToList();
        return new(PercentileOf(normal, percentile), "percentile", percentile);
    }
}
