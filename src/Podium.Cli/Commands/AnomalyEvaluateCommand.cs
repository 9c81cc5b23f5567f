using System.ComponentModel;
using Podium.Evaluation;
using Podium.Runs;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class AnomalyEvaluateCommand : PodiumCommand<AnomalyEvaluateCommand.Settings>
{
    public sealed class Settings : AnomalyRunSettings
    {
        [CommandOption("--data <PATH>")]
        [Description("Labelled images (folder or CSV) to judge on; default: the test rows of the run's split file, else its " +
            "validation images")]
        public string? Data { get; init; }

        [CommandOption("--normal <CLASSES>")]
        [Description("Comma-separated classes of --data that are normal (default: the run's anomaly.normal)")]
        public string? Normal { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Run.Length == 0) throw new PodiumException("anomaly evaluate: --run DIR is required");
        var normal = s.Normal?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var detector = AnomalyDetector.Load(s.Run, s.Threshold, s.Device);
        var r = detector.Evaluate(s.Data, normal, Log);
        Log($"on {r.Data}:");
        Log(Describe(r.Score, "these images"));
        Log($"wrote {r.Scores}, {detector.Model.Run.Evaluation} and the pictures in {r.Plots}");
        return 0;
    }

    /// <summary>One line of what a detector's scores did on some images.</summary>
    public static string Describe(AnomalyScore s, string what) =>
        F($"{what}: {s.Normal} normal, {s.Anomalous} anomalous; image AUROC {s.Auroc:F4}; at the threshold F1 {s.F1:F4} (precision ") +
        F($"{s.Precision:F4}, recall {s.Recall:F4}), {s.FalsePositiveRate:P1} of normal images flagged");
}
