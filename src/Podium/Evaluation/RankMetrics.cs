namespace Podium.Evaluation;

/// <summary>Metrics of a ranking: how well scores put positives above negatives.</summary>
public static class RankMetrics
{
    /// <summary>
    /// Area under the ROC curve (binary): the Mann-Whitney statistic, ties counted half, as
    /// scikit-learn's roc_auc_score. NaN when either class is absent.
    /// </summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        int n = scores.Count;
        if (positive.Count != n) throw new ArgumentException("scores and labels differ in length");
        var order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0;
        long positives = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) end++;
            double rank = (start + end) / 2.0 + 1; // average 1-based rank of the tied run
            for (int j = start; j <= end; j++)
                if (positive[order[j]]) { rankSum += rank; positives++; }
            start = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// Average precision (area under the precision-recall curve, step-wise): Σ (R_n − R_{n−1}) · P_n over
    /// the distinct score thresholds, highest first, as scikit-learn's average_precision_score. NaN without positives.
    /// </summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        int n = scores.Count;
        if (positive.Count != n) throw new ArgumentException("scores and labels differ in length");
        long positives = positive.Count(p => p);
        if (positives == 0) return double.NaN;
        var order = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ToArray();
        double ap = 0, previousRecall = 0;
        long tp = 0, fp = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) end++;
            for (int j = start; j <= end; j++)
                if (positive[order[j]]) tp++; else fp++;
            double recall = tp / (double)positives;
            ap += (recall - previousRecall) * (tp / (double)(tp + fp));
            previousRecall = recall;
            start = end + 1;
        }
        return ap;
    }

    /// <summary>Ranks 1..n of the values, ties given their average rank (Spearman's correlation, rank averaging).</summary>
    public static double[] AverageRanks(IReadOnlyList<double> v)
    {
        var order = Enumerable.Range(0, v.Count).OrderBy(i => v[i]).ToArray();
        var ranks = new double[v.Count];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && v[order[end + 1]] == v[order[start]]) end++;
            for (int j = start; j <= end; j++) ranks[order[j]] = (start + end) / 2.0 + 1;
            start = end + 1;
        }
        return ranks;
    }
}
