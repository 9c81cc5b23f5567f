using System.ComponentModel;
using Podium.Config;
using Podium.Evaluation;
using Podium.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class PseudoLabelCommand : PodiumCommand<PseudoLabelCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandOption("--run <DIR>")]
        [Description("The model that labels (its validation split is the base split unless --split is given)")]
        public string? Run { get; init; }

        [CommandOption("--input <DIR_OR_CSV>")]
        [Description("Unlabelled images for --run to predict")]
        public string? Input { get; init; }

        [CommandOption("--predictions <FILE>")]
        [Description("Saved probabilities instead of --run/--input (e.g. a cv folder's test.csv: the fold ensemble)")]
        public string? Predictions { get; init; }

        [CommandOption("--split <FILE>")]
        [Description("The labelled split file to add to (default: the run's split.csv)")]
        public string? Split { get; init; }

        [CommandOption("--threshold <P>")]
        [Description("Keep images whose top probability is at least this (default 0.9)")]
        public double Threshold { get; init; } = 0.9;

        [CommandOption("--max-per-class <N>")]
        [Description("Keep at most N images of each class")]
        public int? MaxPerClass { get; init; }

        [CommandOption("--no-balance")]
        [Description("Do not cap classes to the labelled data's class shares")]
        public bool NoBalance { get; init; }

        [CommandOption("--tta <VIEWS>")]
        [Description("Test-time augmentation of --run's predictions: hflip, vflip, five-crop, scales=...")]
        public string? Tta { get; init; }

        [CommandOption("--out <FILE>")]
        [Description("The new split file (default pseudo_split.csv)")]
        public string Out { get; init; } = "pseudo_split.csv";
    }

    protected override int Run(Settings s)
    {
        PredictionFile predictions;
        if (s.Predictions is not null) predictions = PredictionFile.Read(s.Predictions).SingleLabel(s.Predictions, "podium pseudo-label");
        else
        {
            if (s.Run is null || s.Input is null) throw new PodiumException("pseudo-label: give --run RUN --input DIR, or --predictions " +
                "FILE");
            if (ConfigLoader.Load(Tracking.RunDirectory.Open(s.Run).Config).Data.MultiLabel)
                throw new PodiumException($"{s.Run}: a multi-label run; podium pseudo-label works on single-label runs");
            var probabilities = Path.Combine(s.Run, "predictions", "pseudo_input.csv");
            RunPredictor.Predict(s.Run, s.Input, Path.Combine(s.Run, "predictions", "pseudo_input_submission.csv"), null, null, s.Device,
                Log, s.Tta, "mean", probabilities);
            predictions = PredictionFile.Read(probabilities).SingleLabel(probabilities, "podium pseudo-label");
        }
        var split = s.Split ?? (s.Run is not null ? Path.Combine(s.Run,
            "split.csv") : throw new PodiumException("pseudo-label: --split FILE is needed with --predictions"));
        var r = PseudoLabels.Run(predictions, split, s.Threshold, s.MaxPerClass, !s.NoBalance, s.Out);
        Log(F($"{r.Kept} of {r.Candidates} images pseudo-labelled at p >= {s.Threshold:0.###}: ") +
            string.Join(", ", r.PerClass.Select(c => $"{c.Class} {c.Kept} (of {c.Confident} confident)")));
        if (r.Accuracy is { } acc
            && !double.IsNaN(acc)) Log(F($"their labels are known here: {acc * 100:F1}% of the pseudo-labels are right"));
        Log($"split file: {r.SplitPath} ({r.LabelledRows} labelled rows + {r.Kept} pseudo-labelled on the training side); train on it " +
            $"with --set data.split={s.Out}");
        return 0;
    }
}
