using Podium.Data;

namespace Podium.Evaluation;

/// <summary>
/// Predictions of labelled data scored: the log loss, accuracy and macro F1 (multi-label: mean binary log loss, subset
/// accuracy and label-wise macro F1 at 0.5), the named metrics asked for, and for single-label data the hard-prediction
/// summary (confusion matrix, per-class scores).
/// </summary>
public sealed record Scores(double Loss, double Accuracy, double F1Macro, IReadOnlyDictionary<string, double> Named,
    ClassificationMetrics? Summary)
{
    public static Scores Of(Predictions predictions, ImageDataset data, IReadOnlyList<string>? named = null)
    {
        if (data.MultiLabel)
        {
            var tags = MultiLabelMetrics.Truth(data, predictions.Indices);
            double M(string name) => MultiLabelMetrics.Compute(name, tags, predictions.Probabilities);
            return new Scores(M("log_loss"), M("accuracy"), M("f1_macro"), (named ?? []).ToDictionary(m => m, M), null);
        }
        var truth = predictions.Indices.Select(data.Label).ToArray();
        var metrics = new ClassificationMetrics(truth, predictions.Predicted, data.Classes);
        var values = (named ?? []).ToDictionary(m => m, m => Metrics.Compute(m, truth, predictions.Probabilities));
        return new Scores(ClassificationMetrics.LogLoss(predictions.Probabilities, truth), metrics.Accuracy, metrics.F1Macro, values,
            metrics);
    }

    /// <summary>Whether a metric is minimised: losses, calibration error and Hamming loss; every other is maximised.</summary>
    public static bool LowerIsBetter(string metric, bool multiLabel) => metric.EndsWith("loss", StringComparison.Ordinal)
        || (multiLabel ? MultiLabelMetrics.Names.TryGetValue(metric, out var lowerMulti) && lowerMulti : Metrics.Names.TryGetValue(metric,
            out var lower) && lower);
}
