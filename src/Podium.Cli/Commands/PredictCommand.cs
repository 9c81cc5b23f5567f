using System.ComponentModel;
using Podium.Evaluation;
using Podium.Runs;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class PredictCommand : PodiumCommand<PredictCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandOption("--run <DIR>")]
        [Description("Run directory written by podium train")]
        public string Run { get; init; } = "";

        [CommandOption("--input <DIR_OR_CSV>")]
        [Description("Images to predict: a folder (searched recursively) or a CSV with a path column")]
        public string Input { get; init; } = "";

        [CommandOption("--out <FILE>")]
        [Description("Submission CSV to write")]
        public string Out { get; init; } = "submission.csv";

        [CommandOption("--sample <FILE>")]
        [Description("sample_submission.csv to match: column names, id style and row order")]
        public string? Sample { get; init; }

        [CommandOption("--id-style <STYLE>")]
        [Description("stem, filename or path (default: the config's submission.id_style)")]
        public string? IdStyle { get; init; }

        [CommandOption("--tta <VIEWS>")]
        [Description("Test-time augmentation: " + TestTimeAugmentation.Kinds + " (default: the config's augment.tta)")]
        public string? Tta { get; init; }

        [CommandOption("--tta-merge <HOW>")]
        [Description("mean (default) or gmean of the views' probabilities")]
        public string TtaMerge { get; init; } = "mean";

        [CommandOption("--probabilities <FILE>")]
        [Description("Where the class probabilities go (default: RUN/predictions/INPUT.csv)")]
        public string? Probabilities { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Run.Length == 0 || s.Input.Length == 0) throw new PodiumException("predict: --run DIR and --input DIR_OR_CSV are required");
        if (s.IdStyle is not null and not ("stem" or "filename" or "path")) throw new PodiumException($"--id-style {s.IdStyle}: expected " +
            $"stem, filename or path");
        int rows = RunPredictor.Predict(s.Run, s.Input, s.Out, s.Sample, s.IdStyle, s.Device, Log, s.Tta, s.TtaMerge, s.Probabilities);
        Log($"wrote {rows} predictions to {Path.GetFullPath(s.Out)}");
        return 0;
    }
}
