using System.ComponentModel;
using System.Globalization;
using Podium.Config;
using Podium.Evaluation;
using Podium.Quickstart;
using Podium.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

/// <summary>Every command runs through here: user errors are one line, never a stack trace.</summary>
public abstract class PodiumCommand<TSettings> : Command<TSettings> where TSettings : CommandSettings
{
    public override int Execute(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try { return Run(settings); }
        catch (PodiumException e) { return Fail(e.Message, 1, e); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail(e.Message, 1, e); }
        catch (Exception e) { return Fail($"{e.GetType().Name}: {e.Message} (set PODIUM_DEBUG=1 for the stack trace)", 2, e); }
    }

    private static int Fail(string message, int code, Exception e)
    {
        Console.Error.WriteLine($"error: {message.Split('\n')[0]}");
        if (Environment.GetEnvironmentVariable("PODIUM_DEBUG") == "1") Console.Error.WriteLine(e);
        return code;
    }

    protected abstract int Run(TSettings settings);

    // Plain writes: Spectre would wrap long lines at the console width (80 when piped).
    protected static void Log(string line) => Console.WriteLine(line);

    protected static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    protected static void PrintEvaluation(EvaluationResult r)
    {
        Log(F($"{r.Data}: {r.Count} images, accuracy {r.Accuracy:F4}, macro F1 {r.F1Macro:F4}, log loss {r.LogLoss:F4}"));
        var table = new Table().AddColumns("class", "precision", "recall", "F1", "support");
        foreach (var c in r.PerClass)
            table.AddRow(Markup.Escape(c.Name), F($"{c.Precision:F3}"), F($"{c.Recall:F3}"), F($"{c.F1:F3}"), c.Support.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }
}

public class DeviceSettings : CommandSettings
{
    [CommandOption("--device <DEVICE>")]
    [Description("auto, cpu or cuda (default: the config's device, auto)")]
    public string? Device { get; init; }
}

public sealed class TrainCommand : PodiumCommand<TrainCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandArgument(0, "<CONFIG>")]
        [Description("YAML config file")]
        public string Config { get; init; } = "";

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a config key, e.g. --set train.epochs=3 (repeatable)")]
        public string[] Set { get; init; } = [];

        [CommandOption("--out <DIR>")]
        [Description("Run directory (default: runs/<name>)")]
        public string? Out { get; init; }
    }

    protected override int Run(Settings s)
    {
        var config = ConfigLoader.Load(s.Config, s.Set);
        if (s.Device is not null) config.Device = s.Device;
        var name = config.Name ?? Path.GetFileNameWithoutExtension(s.Config);
        var runPath = s.Out ?? Tracking.RunDirectory.NextFree("runs", name);
        var result = TrainingRun.Execute(config, runPath, Log);
        Log(F($"best epoch {result.BestEpoch}: val accuracy {result.Best.ValAccuracy:F4}, macro F1 {result.Best.ValF1Macro:F4}"));
        PrintEvaluation(result.Evaluation);
        Log($"run: {result.Run.Root}");
        Log($"report: {result.Run.Report}");
        return 0;
    }
}

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
    }

    protected override int Run(Settings s)
    {
        if (s.Run.Length == 0) throw new PodiumException("evaluate: --run DIR is required");
        var result = RunEvaluator.Evaluate(s.Run, s.Data, s.Device, Log);
        PrintEvaluation(result);
        var run = new Tracking.RunDirectory(s.Run);
        Tracking.HtmlReport.Write(run);
        Log($"confusion matrix: {run.ConfusionPlot}");
        return 0;
    }
}

public sealed class PredictCommand : PodiumCommand<PredictCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandOption("--run <DIR>")]
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
    }

    protected override int Run(Settings s)
    {
        if (s.Run.Length == 0 || s.Input.Length == 0) throw new PodiumException("predict: --run DIR and --input DIR_OR_CSV are required");
        if (s.IdStyle is not null and not ("stem" or "filename" or "path")) throw new PodiumException($"--id-style {s.IdStyle}: expected stem, filename or path");
        int rows = RunPredictor.Predict(s.Run, s.Input, s.Out, s.Sample, s.IdStyle, s.Device, Log);
        Log($"wrote {rows} predictions to {Path.GetFullPath(s.Out)}");
        return 0;
    }
}

public sealed class QuickstartCommand : PodiumCommand<QuickstartCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--out <DIR>")]
        [Description("Where to put the data, run, submission and report (default: quickstart)")]
        public string Out { get; init; } = "quickstart";

        [CommandOption("--set <KEY=VALUE>")]
        public string[] Set { get; init; } = [];
    }

    protected override int Run(Settings s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = QuickstartRunner.Run(s.Out, s.Set, Log);
        PrintEvaluation(r.Train.Evaluation);
        Log(F($"test accuracy of the submission (scored against the hidden labels): {r.TestAccuracy:F4}"));
        Log($"submission: {r.Submission}");
        Log($"report:     {r.Train.Run.Report}");
        Log($"run:        {r.Train.Run.Root}");
        Log(F($"quickstart done in {clock.Elapsed.TotalSeconds:F0} s"));
        return 0;
    }
}

public sealed class AugmentPreviewCommand : PodiumCommand<AugmentPreviewCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<CONFIG>")]
        public string Config { get; init; } = "";

        [CommandOption("-n|--number <N>")]
        [Description("Number of samples (default 16)")]
        public int N { get; init; } = 16;

        [CommandOption("--out <FILE>")]
        [Description("PNG to write (default augment_preview.png)")]
        public string Out { get; init; } = "augment_preview.png";

        [CommandOption("--section <SECTION>")]
        [Description("train or val pipeline (default train)")]
        public string Section { get; init; } = "train";

        [CommandOption("--set <KEY=VALUE>")]
        public string[] Set { get; init; } = [];
    }

    protected override int Run(Settings s)
    {
        if (s.N is < 1 or > 400) throw new PodiumException($"--n {s.N}: between 1 and 400 samples");
        if (s.Section is not ("train" or "val")) throw new PodiumException($"--section {s.Section}: expected train or val");
        var config = ConfigLoader.Load(s.Config, s.Set);
        var items = s.Section == "train" ? config.Augment.Train : config.Augment.Val;
        var pipeline = Data.DataSetup.BuildPipeline(config, items, $"augment.{s.Section}");
        // Preview needs no labels: a flat folder of images (receipts, say) is shown by file name.
        bool labelled = !Directory.Exists(config.Data.Train) || Directory.GetDirectories(config.Data.Train).Length > 0;
        var load = Data.DatasetReader.Open(config.Data.Train, labelled: labelled);
        if (load.Skipped.Count > 0) Log($"skipped {load.Skipped.Count} inputs: {load.SkipSummary()}");
        using var grid = Augment.AugmentPreview.Render(load.Enforce(config.Data.OnBadInput), pipeline, config.Data.Channels, s.N, config.Seed);
        OpenCvSharp.Cv2.ImEncode(".png", grid, out var png);
        Tracking.AtomicFile.Write(s.Out, temp => File.WriteAllBytes(temp, png));
        Log($"wrote {s.N} augmented samples to {Path.GetFullPath(s.Out)}");
        return 0;
    }
}

public sealed class AugmentOfflineCommand : PodiumCommand<AugmentOfflineCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<CONFIG>")]
        public string Config { get; init; } = "";

        [CommandOption("--copies <N>")]
        [Description("Augmented copies per image (default 4)")]
        public int Copies { get; init; } = 4;

        [CommandOption("--out <DIR>")]
        [Description("Output folder: images/ and manifest.csv")]
        public string Out { get; init; } = "";

        [CommandOption("--format <FORMAT>")]
        [Description("jpg (quality 95, default) or png")]
        public string Format { get; init; } = "jpg";

        [CommandOption("--no-originals")]
        [Description("Leave the original images out of the manifest")]
        public bool NoOriginals { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        public string[] Set { get; init; } = [];
    }

    protected override int Run(Settings s)
    {
        if (s.Out.Length == 0) throw new PodiumException("augment offline: --out DIR is required");
        var config = ConfigLoader.Load(s.Config, s.Set);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = Augment.OfflineAugmenter.Run(config, s.Copies, s.Out, s.Format, !s.NoOriginals, Log);
        Log(F($"wrote {r.Sources * r.Copies} augmented images ({r.Copies} per image, {r.Sources} images) in {clock.Elapsed.TotalSeconds:F1} s"));
        Log($"manifest: {r.Manifest} ({r.Rows} rows); train on it with data.train: {r.Manifest}");
        return 0;
    }
}
