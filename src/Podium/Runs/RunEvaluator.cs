using System.Globalization;
using Podium.Data;
using Podium.Evaluation;
using Podium.Tasks.Classification;
using static Podium.Platform.Invariant;

namespace Podium.Runs;

public static class RunEvaluator
{
    /// <summary>Evaluates a saved run on <paramref name="dataPath"/>, or on its own validation split when null.</summary>
    public static EvaluationResult Evaluate(string runPath, string? dataPath, string? device, Action<string> log,
        EvaluateOptions? options = null)
    {
        var rm = RunModel.Load(runPath, device);
        var known = rm.Config.Data.MultiLabel ? MultiLabelMetrics.Names : Metrics.Names;
        if (options?.Metric is { } asked && !known.ContainsKey(asked))
            throw new PodiumException($"--metric {asked}: unknown{(rm.Config.Data.MultiLabel ? " for a multi-label run" : "")} " +
                $"({string.Join(", ", known.Keys)})");
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
            data = Data.Loaders.Preprocess(load.Enforce(rm.Config.Data.OnBadInput), rm.Config.Data);
            pipeline = Augment.Pipelines.Val(rm.Config);
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
            gain = new TtaGain(options.Tta!, options.TtaMerge, all.Count, metric, Scores.Of(predictions, data, [metric]).Named[metric],
                Scores.Of(merged, data, [metric]).Named[metric]);
            log(string.Create(CultureInfo.InvariantCulture, $"test-time augmentation ({all.Count} views: plain, " +
                $"{string.Join(", ", views.Select(v => v.Name))}; {options.TtaMerge}): {metric} {gain.Plain:F4} -> {gain.Merged:F4} " +
                $"({gain.Merged - gain.Plain:+0.0000;-0.0000})"));
            predictions = merged;
        }
        if (options.TuneThresholds && data.MultiLabel)
        {
            var tuned = LabelThresholds.Tune(MultiLabelMetrics.Truth(data, predictions.Indices), predictions.Probabilities, rm.Classes,
                options.Metric ?? rm.Config.Train.Metric);
            tuned.Save(rm.Run.Thresholds, rm.Checkpoint);
            log(string.Create(CultureInfo.InvariantCulture,
                $"per-label thresholds for {tuned.Metric}: {tuned.Before:F4} -> {tuned.After:F4} on these " +
                $"images (optimistic: tuned on them); ")
                + string.Join(", ", rm.Classes.Select((c,
                    i) => F($"{c} {tuned.Thresholds[i]:0.##}")))
                    + $"; saved to {rm.Run.Thresholds}, predict applies them");
        }
        else if (options.TuneThresholds)
        {
            var truth = predictions.Indices.Select(data.Label).ToArray();
            var tuned = ClassThresholds.Tune(truth, predictions.Probabilities, rm.Classes, options.Metric ?? rm.Config.Train.Metric);
            tuned.Save(rm.Run.Thresholds, rm.Checkpoint);
            log(string.Create(CultureInfo.InvariantCulture,
                $"per-class thresholds for {tuned.Metric}: {tuned.Before:F4} -> {tuned.After:F4} on these " +
                $"images (optimistic: tuned on them); weights ")
                + string.Join(", ", rm.Classes.Select((c,
                    i) => F($"{c} {tuned.Weights[i]:0.###}")))
                    + $"; saved to {rm.Run.Thresholds}, predict applies them");
        }
        return ClassificationEvaluation.Evaluate(rm.Run, predictions, data, label, gain);
    }
}
