namespace Podium.Evaluation;

/// <summary>
/// Multi-label decision thresholds: label l is predicted when its probability reaches Thresholds[l]. Tuned
/// on validation by coordinate ascent over a grid (one label at a time, a few rounds) to maximise a
/// multi-label decision metric; for f1_macro that is each label's own best F1 threshold. Saved as the
/// run's thresholds.json and applied by predict. Tuned and scored on the same images, the gain is optimistic.
/// </summary>
public sealed record LabelThresholds(string Metric, IReadOnlyList<string> Labels, double[] Thresholds, double Before, double After)
{
    private static readonly string[] NotDecisions = ["roc_auc", "roc_auc_micro", "roc_auc_weighted", "pr_auc", "pr_auc_micro",
        "pr_auc_weighted", "log_loss"];
    private static readonly double[] Grid = Enumerable.Range(1, 49).Select(i => i / 50.0).ToArray(); // 0.02 .. 0.98

    public static LabelThresholds Tune(bool[,] truth, float[,] probabilities, IReadOnlyList<string> labels, string metric, int rounds = 3)
    {
        if (NotDecisions.Contains(metric))
            throw new PodiumException($"{metric} judges probabilities or rankings, which thresholds do not change; tune for a decision " +
                $"metric (f1_micro, f1_macro, f1_samples, accuracy, ...)");
        if (!MultiLabelMetrics.Names.TryGetValue(metric, out var lower))
            throw new PodiumException($"--metric {metric}: not a multi-label metric ({string.Join(", ", MultiLabelMetrics.Names.Keys)})");
        // From 0.5 for every label: a tie keeps the usual threshold.
        var (t, before, best) = CoordinateAscent.Tune(Enumerable.Repeat(0.5, labels.Count).ToArray(), Grid,
            values => MultiLabelMetrics.Compute(metric, truth, probabilities, values), lower, rounds);
        return new LabelThresholds(metric, labels, t, before, best);
    }

    public void Save(string path, string checkpoint) => ThresholdsFile.Save(path, checkpoint, Metric, Before, After, "thresholds", Labels,
        Thresholds);

    public static LabelThresholds Load(string path, string checkpoint, IReadOnlyList<string> labels)
    {
        var (metric, before, after, thresholds) = ThresholdsFile.Load(path, checkpoint, "thresholds", labels);
        return new LabelThresholds(metric, labels, thresholds, before, after);
    }
}
