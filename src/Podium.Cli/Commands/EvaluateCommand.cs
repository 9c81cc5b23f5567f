using System.ComponentModel;
using Podium.Evaluation;
using Podium.Runs;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class EvaluateCommand : PodiumCommand<EvaluateCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandOption("--run <DIR>")]
        [Description("Run directory written by podium train")]
        public string Run { get; init; } = "";

        [CommandOption("--data <PATH>")]
        [Description("Labelled data (folder or CSV); default: the run's validation split")]
        public string? Data { get; init; }

        [CommandOption("--tta <VIEWS>")]
        [Description("Test-time augmentation: " + TestTimeAugmentation.Kinds + " (says what it buys)")]
        public string? Tta { get; init; }

        [CommandOption("--tta-merge <HOW>")]
        [Description("mean (default) or gmean of the views' probabilities")]
        public string TtaMerge { get; init; } = "mean";

        [CommandOption("--tune-thresholds")]
        [Description("Tune per-class decision thresholds on this data for --metric; saved with the run, applied by predict")]
        public bool TuneThresholds { get; init; }

        [CommandOption("--metric <NAME>")]
        [Description("The metric TTA gains and thresholds are judged by (default: the run's train.metric)")]
        public string? Metric { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Run.Length == 0) throw new PodiumException("evaluate: --run DIR is required");
        var result = RunEvaluator.Evaluate(s.Run, s.Data, s.Device, Log, new EvaluateOptions(s.Tta, s.TtaMerge, s.TuneThresholds,
            s.Metric));
        PrintEvaluation(result);
        var run = new Tracking.RunDirectory(s.Run);
        Podium.Runs.RunReport.Write(run);
        Log(File.Exists(run.LabelScoresPlot) && !File.Exists(run.ConfusionPlot)
            ? $"per-label scores: {run.LabelScoresPlot}" : $"confusion matrix: {run.ConfusionPlot}");
        return 0;
    }
}
