using System.ComponentModel;
using System.Globalization;
using Podium.Config;
using Podium.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class CvCommand : PodiumCommand<CvCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandArgument(0, "<CONFIG>")]
        [Description("YAML config each fold trains with")]
        public string Config { get; init; } = "";

        [CommandOption("--folds <K>")]
        [Description("Folds to make (default 5); a k-fold data.split file brings its own")]
        public int Folds { get; init; } = 5;

        [CommandOption("--out <DIR>")]
        [Description("Where the fold runs, oof.csv, test.csv, cv.json and the submission go (default runs/NAME-cv)")]
        public string? Out { get; init; }

        [CommandOption("--test <DIR_OR_CSV>")]
        [Description("Images for the fold ensemble to predict (default: the test rows of a subset split file)")]
        public string? Test { get; init; }

        [CommandOption("--tta <VIEWS>")]
        [Description("Test-time augmentation of the test predictions: " + TestTimeAugmentation.Kinds)]
        public string? Tta { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a config key for every fold, e.g. --set train.epochs=3 (repeatable)")]
        public string[] Set { get; init; } = [];

        [CommandOption("--print-config")]
        [Description("Print the resolved config (every default filled in, paths absolute) and exit; data.normalize: auto is measured " +
            "when training starts")]
        public bool PrintConfig { get; init; }

    }

    protected override int Run(Settings s)
    {
        if (s.PrintConfig)
        {
            var config = ConfigLoader.Load(s.Config, s.Set);
            Console.Write(ConfigLoader.ToYaml(Podium.Runs.ConfigResolver.Resolve(config, s.Config)));
            return 0;
        }
        var name = Path.GetFileNameWithoutExtension(s.Config);
        var outDir = s.Out ?? Tracking.RunDirectory.NextFree("runs", name + "-cv");
        var r = ConsoleProgress.Run(progress => Podium.Runs.CrossValidation.Run(s.Config, s.Set, s.Folds, outDir, s.Test, s.Tta, s.Device,
            new() { Log = Log, Loggers = [progress], Tracking = true }));
        var table = new Table().AddColumns("fold", "images", r.Metric, "test " + r.Metric);
        foreach (var f in r.Folds)
            table.AddRow(f.Fold.ToString(CultureInfo.InvariantCulture), f.Images.ToString(CultureInfo.InvariantCulture),
                F($"{f.Metric:F4}"), f.TestMetric is { } t ? F($"{t:F4}") : "-");
        AnsiConsole.Write(table);
        Log(F($"out of fold {r.Metric}: {r.Oof:F4}; folds {r.Mean:F4} ± {r.Std:F4} (mean ± sd over {r.Folds.Count})"));
        if (r.EnsembleTest is { } e)
            Log(F($"test {r.Metric}: fold ensemble (mean probabilities) {e:F4}; best single fold " +
                $"{r.Folds.Max(f => f.TestMetric ?? double.NaN):F4}, mean {r.Folds.Average(f => f.TestMetric ?? double.NaN):F4}"));
        Log($"out-of-fold predictions: {r.OofPath}");
        if (r.Submission is not null) Log($"submission (fold ensemble): {r.Submission}");
        return 0;
    }
}
