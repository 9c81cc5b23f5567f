namespace Podium.Evaluation;

/// <summary>How an anomaly detector's scores separate normal images from anomalies: the image AUROC (NaN without both kinds),
/// and at the threshold precision, recall and F1 of the anomalies and the share of normal images flagged.</summary>
public sealed record AnomalyScore(double Auroc, double Precision, double Recall, double F1, double FalsePositiveRate, int Normal,
    int Anomalous)
{
    public static AnomalyScore Of(IReadOnlyList<double> scores, IReadOnlyList<bool> anomalous, double threshold)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < scores.Count; i++)
        {
            bool flagged = scores[i] >= threshold;
            if (anomalous[i]) { if (flagged) tp++; else fn++; }
            else if (flagged) fp++; else tn++;
        }
        static double Ratio(int a, int b) => b == 0 ? double.NaN : a / (double)b;
        return new(RankMetrics.RocAuc(scores, anomalous), Ratio(tp, tp + fp), Ratio(tp, tp + fn),
            tp + fp + fn == 0 ? double.NaN : 2.0 * tp / (2 * tp + fp + fn), Ratio(fp, fp + tn), tn + fp, tp + fn);
    }

    /// <summary>The figures by name (evaluation.json, a run store's results).</summary>
    public IReadOnlyDictionary<string, double> Figures => new Dictionary<string, double>
    {
        ["auroc"] = Auroc,
        ["precision"] = Precision,
        ["recall"] = Recall,
        ["f1"] = F1,
        ["false_positive_rate"] = FalsePositiveRate,
        ["normal_images"] = Normal,
        ["anomalous_images"] = Anomalous,
    };
}
