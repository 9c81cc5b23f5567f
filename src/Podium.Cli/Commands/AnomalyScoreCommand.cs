using System.ComponentModel;
using Podium.Runs;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class AnomalyScoreCommand : PodiumCommand<AnomalyScoreCommand.Settings>
{
    public sealed class Settings : AnomalyRunSettings
    {
        [CommandOption("--input <DIR_OR_CSV>")]
        [Description("Images to score: a folder (searched below) or a CSV; labels are not read")]
        public string Input { get; init; } = "";

        [CommandOption("--out <CSV>")]
        [Description("Where the scores go: path, score, anomalous (1 at or above the threshold) (default anomaly_scores.csv)")]
        public string Out { get; init; } = "anomaly_scores.csv";

        [CommandOption("--heatmaps <DIR>")]
        [Description("Also draw each image's anomaly map over it, one PNG per image in this folder")]
        public string? Heatmaps { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Run.Length == 0 || s.Input.Length == 0)
            throw new PodiumException("anomaly score: --run DIR and --input DIR_OR_CSV are required");
        var detector = AnomalyDetector.Load(s.Run, s.Threshold, s.Device);
        var r = detector.Score(s.Input, s.Out, s.Heatmaps);
        Log(F($"{r.Flagged} of {r.Images} images anomalous at threshold {detector.Threshold.Threshold.Value:G5} ({r.MsPerImage:0.0} ms ") +
            $"per image){(r.Skipped > 0 ? $"; {r.Skipped} unreadable inputs skipped" : "")}");
        Log($"wrote {Path.GetFullPath(r.Csv)}" + (r.Heatmaps is null ? "" : $" and {r.Images} heat maps to " +
            Path.GetFullPath(r.Heatmaps)));
        return 0;
    }
}
