using System.Text.Json;
using Podium.Config;
using Podium.Data;
using Podium.Models;
using Podium.Platform;
using Podium.Tracking;
using Podium.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Evaluation;

public static class RunEvaluator
{
    /// <summary>Evaluates a saved run on <paramref name="dataPath"/>, or on its own validation split when null.</summary>
    public static EvaluationResult Evaluate(string runPath, string? dataPath, string? device, Action<string> log, EvaluateOptions? options = null)
    {
        var rm = RunModel.Load(runPath, device);
        var known = rm.Config.Data.MultiLabel ? MultiLabelMetrics.Names : Metrics.Names;
        if (options?.Metric is { } asked && !known.ContainsKey(asked))
            throw new PodiumException($"--metric {asked}: unknown{(rm.Config.Data.MultiLabel ? " for a multi-label run" : "")} ({string.Join(", ", known.Keys)})");
        ImageDataset data;
        Augment.Pipeline pipeline;
        string label;
        if (dataPath is null)
        {
            var setup = DataSetup.Prepare(rm.Config);
            (data, pipeline, label) = (setup.Val, setup.ValPipeline, "validation split");
        }
        else
        {
            var load = DatasetReader.Open(dataPath, rm.Classes, multiLabel: rm.Config.Data.MultiLabel);
            if (load.Skipped.Count > 0) log($"skipped {load.Skipped.Count} inputs of {dataPath}: {load.SkipSummary()}");
            data = DataSetup.Preprocess(load.Enforce(rm.Config.Data.OnBadInput), rm.Config.Data);
            pipeline = DataSetup.BuildPipeline(rm.Config, rm.Config.Augment.Val, "augment.val");
            label = dataPath;
        }
        options ??= new();
        var views = options.Tta is { } spec ? TestTimeAugmentation.Pipelines(spec, pipeline) : [];
        var all = rm.PredictViews(data, pipeline, views.Select(v => v.Pipeline));
        var predictions = all[0];
        TtaGain? gain = null;
        if (views.Count > 0)
        {
            var merged = TestTimeAugmentation.Merge(all, options.TtaMerge);
            string metric = options.Metric ?? rm.Config.Train.Metric;
            gain = new TtaGain(options.Tta!, options.TtaMerge, all.Count, metric, Scores.Of(predictions, data, [metric]).Named[metric], Scores.Of(merged, data, [metric]).Named[metric]);
            log(FormattableString.Invariant($"test-time augmentation ({all.Count} views: plain, {string.Join(", ", views.Select(v => v.Name))}; {options.TtaMerge}): {metric} {gain.Plain:F4} -> {gain.Merged:F4} ({gain.Merged - gain.Plain:+0.0000;-0.0000})"));
            predictions = merged;
        }
        if (options.TuneThresholds && data.MultiLabel)
        {
            var tuned = LabelThresholds.Tune(MultiLabelMetrics.Truth(data, predictions.Indices), predictions.Probabilities, rm.Classes, options.Metric ?? rm.Config.Train.Metric);
            tuned.Save(rm.Run.Thresholds, rm.Checkpoint);
            log(FormattableString.Invariant($"per-label thresholds for {tuned.Metric}: {tuned.Before:F4} -> {tuned.After:F4} on these images (optimistic: tuned on them); ")
                + string.Join(", ", rm.Classes.Select((c, i) => FormattableString.Invariant($"{c} {tuned.Thresholds[i]:0.##}"))) + $"; saved to {rm.Run.Thresholds}, predict applies them");
        }
        else if (options.TuneThresholds)
        {
            var truth = predictions.Indices.Select(data.Label).ToArray();
            var tuned = ClassThresholds.Tune(truth, predictions.Probabilities, rm.Classes, options.Metric ?? rm.Config.Train.Metric);
            tuned.Save(rm.Run.Thresholds, rm.Checkpoint);
            log(FormattableString.Invariant($"per-class thresholds for {tuned.Metric}: {tuned.Before:F4} -> {tuned.After:F4} on these images (optimistic: tuned on them); weights ")
                + string.Join(", ", rm.Classes.Select((c, i) => FormattableString.Invariant($"{c} {tuned.Weights[i]:0.###}"))) + $"; saved to {rm.Run.Thresholds}, predict applies them");
        }
        return Evaluate(rm.Run, predictions, data, label, gain);
    }

    public static EvaluationResult Evaluate(RunDirectory run, nn.Module<Tensor, Tensor> model, BatchLoader<ImageBatch> loader, Device device, string label) =>
        Evaluate(run, Predictor.Predict(model, loader, device, loader.Data.Classes.Count, loader.Data.MultiLabel), loader.Data, label, null);

    /// <summary>Scores predictions of labelled data with every metric, writes evaluation.json, predictions/val.csv, the confusion matrix and the error analysis.</summary>
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

    /// <summary>Multi-label: every multi-label metric at 0.5, per-label scores and 2x2 confusions, the label-scores plot and the error analysis.</summary>
    private static EvaluationResult EvaluateMultiLabel(RunDirectory run, Predictions predictions, ImageDataset data, string label, TtaGain? tta)
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
        var result = new EvaluationResult(label, predictions.Indices.Length, v.Accuracy, v.F1Macro, v.Loss, perLabel, confusion, data.Classes, v.Named, tta);
        AtomicFile.WriteAllText(run.Evaluation, JsonSerializer.Serialize(result, SummaryWriter.Json));
        PredictionFile.From(data, predictions, labelled: true).Write(run.ValPredictions);
        Plots.LabelScores(perLabel, run.LabelScoresPlot);
        ErrorAnalysis.WriteMultiLabel(run, data, predictions, truth);
        return result;
    }
}
