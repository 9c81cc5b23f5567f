using System.Diagnostics;
using System.Text.Json;
using Podium.Data;
using Podium.Evaluation;
using Podium.IO;
using Podium.Platform;
using Podium.Reporting;
using Podium.Tasks.Anomaly;

namespace Podium.Runs;

/// <summary>
/// A trained anomaly detection run put to use: its model and the threshold it chose (or a threshold file given, refused when
/// chosen for another checkpoint), scoring new images (podium anomaly score: a CSV, heat maps one file per image) and judging
/// it on labelled images (podium anomaly evaluate: AUROC, and F1 at the threshold).
/// </summary>
public sealed class AnomalyDetector
{
    public required RunModel Model { get; init; }
    public required AnomalyThresholdFile.Contents Threshold { get; init; }
    /// <summary>The threshold file read.</summary>
    public required string ThresholdPath { get; init; }

    public static AnomalyDetector Load(string runPath, string? thresholdFile = null, string? device = null)
    {
        var model = RunModel.Load(runPath, device, anomaly: true);
        var path = thresholdFile ?? Path.Combine(model.Run.Root, AnomalyRun.ThresholdFile);
        if (thresholdFile is null && !File.Exists(path))
            throw new PodiumException($"{runPath}: no {AnomalyRun.ThresholdFile} (the run did not finish; resume it with podium train " +
                "--resume)");
        return new AnomalyDetector { Model = model, Threshold = AnomalyThresholdFile.Load(path, model.Checkpoint), ThresholdPath = path };
    }

    /// <summary>What scoring images found and where it went.</summary>
    public sealed record ScoreResult(int Images, int Flagged, int Skipped, double MsPerImage, string Csv, string? Heatmaps);

    /// <summary>Scores every image of <paramref name="input"/> (labels unread) into a CSV (path, score, anomalous); with
    /// <paramref name="heatmaps"/>, each image's anomaly map over it as a PNG there.</summary>
    public ScoreResult Score(string input, string csv, string? heatmaps)
    {
        var config = Model.Config;
        var load = DatasetReader.Open(input, labelled: false);
        var data = Loaders.Prepare(load, config.Data);
        if (data.Count == 0) throw new PodiumException($"{input}: no images to score" + (load.Skipped.Count > 0
            ? $" ({load.Skipped.Count} unreadable: {SkippedInput.Summarize(load.Skipped)})" : ""));
        if (heatmaps is not null) Directory.CreateDirectory(heatmaps);
        var clock = Stopwatch.StartNew();
        var (scores, _, _) = WorkProgress.Run("scoring", data.Count, report => AnomalyScoring.Score(Model.Model, Loaders.Eval(data, config),
            Model.Device, heatmaps is null ? null : (i, map) =>
            {
                using var rgb = data.Read(i, 3);
                using var overlay = AnomalyOverlay.Draw(rgb, map, Threshold.Maps, config);
                using var bgr = new OpenCvSharp.Mat();
                OpenCvSharp.Cv2.CvtColor(overlay, bgr, OpenCvSharp.ColorConversionCodes.RGB2BGR);
                AtomicFile.WritePng(Path.Combine(heatmaps, $"{i:D6}_{Path.GetFileNameWithoutExtension(data.Locate(i))}.png"), bgr);
            }, report));
        double ms = clock.Elapsed.TotalMilliseconds / data.Count;
        AnomalyRun.WriteScores(csv, data, scores, null, Threshold.Threshold.Value);
        return new ScoreResult(data.Count, scores.Count(s => s >= Threshold.Threshold.Value), load.Skipped.Count, ms, csv, heatmaps);
    }

    /// <summary>What evaluating on labelled images found.</summary>
    public sealed record EvaluationResult(AnomalyScore Score, string Data, string Scores, string Plots);

    /// <summary>Judges the detector on labelled images: <paramref name="dataPath"/> (its <paramref name="normal"/> classes, by default
    /// the run's anomaly.normal, are normal), else the run's split file's test rows, else its validation images.</summary>
    public EvaluationResult Evaluate(string? dataPath, IReadOnlyList<string>? normal, Action<string> log)
    {
        var config = Model.Config;
        normal ??= config.Anomaly!.Normal;
        ImageDataset data;
        bool[] anomalous;
        string described;
        if (dataPath is not null)
        {
            if (normal is null) throw new PodiumException($"{dataPath}: name its normal classes with --normal (the run learnt from " +
                "unlabelled images)");
            var load = DatasetReader.Open(dataPath);
            data = Loaders.Prepare(load, config.Data);
            if (load.Skipped.Count > 0) log($"skipped {load.Skipped.Count} inputs: {SkippedInput.Summarize(load.Skipped)}");
            anomalous = AnomalyData.Anomalous(data, normal, "--normal");
            described = dataPath;
        }
        else if (AnomalyData.Test(config) is { } test)
        {
            data = test;
            anomalous = AnomalyData.Anomalous(test, normal!);
            described = $"the test rows of {config.Data.Split}";
        }
        else
        {
            (var prepared, anomalous, _) = AnomalyData.Prepare(config, _ => { });
            data = prepared.Val;
            described = "the run's validation images (the threshold was chosen on them: give --data for an unbiased figure)";
        }
        var (scores, _, _) = WorkProgress.Run("scoring", data.Count, report => AnomalyScoring.Score(Model.Model, Loaders.Eval(data, config),
            Model.Device, progress: report));
        var threshold = Threshold.Threshold;
        var score = AnomalyScore.Of(scores, anomalous, threshold.Value);
        var run = Model.Run;
        var csv = Path.Combine(run.Root, "eval_scores.csv");
        AnomalyRun.WriteScores(csv, data, scores, anomalous, threshold.Value);
        var plots = Path.Combine(run.Plots, "evaluation");
        AnomalyRun.Draw(plots, Model.Model, config, Model.Device, data, scores, anomalous, threshold, Threshold.Maps);
        AtomicFile.WriteAllText(run.Evaluation, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["data"] = described,
            ["threshold"] = threshold.Value,
            ["threshold_file"] = ThresholdPath,
            ["metrics"] = score.Figures.ToDictionary(e => e.Key, e => (object?)(double.IsFinite(e.Value) ? e.Value : null)),
        }, JsonFiles.Options));
        return new EvaluationResult(score, described, csv, plots);
    }
}
