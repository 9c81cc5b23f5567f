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
}
