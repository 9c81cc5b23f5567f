using System.Text.Json;
using Podium.Data;
using Podium.Evaluation;
using Podium.IO;
using Podium.Reporting;
using Podium.Tracking;
using static TorchSharp.torch;

namespace Podium.Tasks.Classification;

/// <summary>
/// A classification model's full evaluation on labelled data, into its run folder: every metric (evaluation.json), the
/// predictions (predictions/val.csv), the confusion matrix or per-label scores, and the error galleries.
/// </summary>
public static class ClassificationEvaluation
{
    public static EvaluationResult Evaluate(RunDirectory run, nn.Module<Tensor, Tensor> model, BatchLoader<ImageBatch> loader,
        Device device, string label) =>
        Evaluate(run, Predictor.Predict(model, loader, device, loader.Data.Classes.Count, loader.Data.MultiLabel), loader.Data, label,
            null);

    /// <summary>Scores predictions of labelled data with every metric, writes evaluation.json, predictions/val.csv, the confusion matrix
    /// and the error analysis.</summary>
    public static EvaluationResult Evaluate(RunDirectory run, Predictions predictions, ImageDataset data, string label, TtaGain? tta)
    {
        if (data.MultiLabel) return EvaluateMultiLabel(run, predictions, data, label, tta);
        // Every metric Podium knows (top-k only where there are more classes than k).
        int k = data.Classes.Count;
        var names = Metrics.Names.Keys.Where(n => !n.StartsWith("top", StringComparison.Ordinal) || k > n[3] - '0').ToList();
        var v = Scores.Of(predictions, data, names);
        var m = v.Summary!;
        var confusion = Enumerable.Range(0, k).Select(r => Enumerable.Range(0, k).Select(c => m.Confusion[r, c]).ToArray()).ToArray();
        var result = new EvaluationResult(label, m.Count, m.Accuracy, m.F1Macro, v.Loss, m.PerClass, confusion, data.Classes, v.Named, tta);
        AtomicFile.WriteAllText(run.Evaluation, JsonSerializer.Serialize(result, SummaryWriter.Json));
        PredictionFile.From(data, predictions, labelled: true).Write(run.ValPredictions);
        Plots.ConfusionMatrix(m.Confusion, data.Classes, run.ConfusionPlot);
        ErrorAnalysis.Write(run, data, predictions, predictions.Indices.Select(data.Label).ToArray());
        return result;
    }

    /// <summary>Multi-label: every multi-label metric at 0.5, per-label scores and 2x2 confusions, the label-scores plot and the error
    /// analysis.</summary>
    private static EvaluationResult EvaluateMultiLabel(RunDirectory run, Predictions predictions, ImageDataset data, string label,
        TtaGain? tta)
    {
        var v = Scores.Of(predictions, data, [.. MultiLabelMetrics.Names.Keys.Where(n => n != "subset_accuracy")]);
        var truth = MultiLabelMetrics.Truth(data, predictions.Indices);
        var predicted = MultiLabelMetrics.Decide(predictions.Probabilities);
        var perLabel = MultiLabelMetrics.PerLabel(truth, predictions.Probabilities, data.Classes);
        var confusion = data.Classes.Select((_, l) =>
        {
            var cells = new int[4]; // tn, fp, fn, tp: scikit-learn's multilabel_confusion_matrix, flattened
            for (int i = 0; i < truth.GetLength(0); i++) cells[(truth[i, l] ? 2 : 0) + (predicted[i, l] ? 1 : 0)]++;
            return cells;
        }).ToArray();
        var result = new EvaluationResult(label, predictions.Indices.Length, v.Accuracy, v.F1Macro, v.Loss, perLabel, confusion,
            data.Classes, v.Named, tta);
        AtomicFile.WriteAllText(run.Evaluation, JsonSerializer.Serialize(result, SummaryWriter.Json));
        PredictionFile.From(data, predictions, labelled: true).Write(run.ValPredictions);
        Plots.LabelScores(perLabel, run.LabelScoresPlot);
        ErrorAnalysis.WriteMultiLabel(run, data, predictions, truth);
        return result;
    }
}
