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
    public static void Log(string line) => Console.WriteLine(line);

    public static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    protected static void PrintEvaluation(EvaluationResult r)
    {
        bool multiLabel = r.Metrics.ContainsKey("hamming_loss");
        Log(F($"{r.Data}: {r.Count} images, {(multiLabel ? "subset accuracy" : "accuracy")} {r.Accuracy:F4}, macro F1 {r.F1Macro:F4}, log loss {r.LogLoss:F4}"));
        var table = new Table().AddColumns(multiLabel ? "label (at 0.5)" : "class", "precision", "recall", "F1", "support");
        foreach (var c in r.PerClass)
            table.AddRow(Markup.Escape(c.Name), F($"{c.Precision:F3}"), F($"{c.Recall:F3}"), F($"{c.F1:F3}"), c.Support.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        if (r.Metrics.Count > 0)
            Log(string.Join(", ", r.Metrics.Select(m => F($"{m.Key} {m.Value:F4}"))));
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
    public class Settings : DeviceSettings
    {
        [CommandArgument(0, "[CONFIG]")]
        [Description("YAML config file")]
        public string? Config { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a config key, e.g. --set train.epochs=3 (repeatable)")]
        public string[] Set { get; init; } = [];

        [CommandOption("--out <DIR>")]
        [Description("Run directory (default: runs/<name>, or runs/<name>-2 ... when taken)")]
        public string? Out { get; init; }

        [CommandOption("--overwrite")]
        [Description("Replace the run already in --out (its files are deleted first) instead of refusing")]
        public bool Overwrite { get; init; }

        [CommandOption("--resume <RUN>")]
        [Description("Continue a stopped or killed run from its last complete epoch, exactly as it would have gone on")]
        public string? Resume { get; init; }
    }

    protected override int Run(Settings s)
    {
        var outcome = Train(s, "train", task: null);
        if (outcome.Task is Podium.Tasks.Detection.DetectionOutcome) OcrTrainCommand.Print(outcome);
        else
        {
            var best = outcome.Best!;
            Log(F($"best epoch {outcome.BestEpoch}: val accuracy {best.Value("val_accuracy"):F4}, macro F1 {best.Value("val_f1_macro"):F4}"));
            PrintEvaluation(((Podium.Tasks.Classification.ClassificationOutcome)outcome.Task).Evaluation);
            Log($"run: {outcome.Run.Root}");
            Log($"report: {outcome.Run.Report}");
        }
        return 0;
    }

    /// <summary>Trains or resumes as the settings say, with console progress; <paramref name="task"/>, when given, is the task the config must be.</summary>
    public static Podium.Runs.TrainOutcome Train(Settings s, string command, string? task)
    {
        if (s.Resume is not null)
        {
            if (s.Config is not null || s.Set.Length > 0 || s.Out is not null || s.Overwrite)
                throw new PodiumException($"{command} --resume RUN takes the run's own config and folder; leave out CONFIG, --set, --out and --overwrite");
            return Tracking.ConsoleProgress.Run(progress => Podium.Runs.TrainingPipeline.Resume(s.Resume, s.Device, new() { Log = Log, Loggers = [progress] }));
        }
        if (s.Config is null) throw new PodiumException($"{command}: a CONFIG file is required (or --resume RUN)");
        var config = ConfigLoader.Load(s.Config, s.Set);
        if (s.Device is not null) config = config with { Device = s.Device };
        if (task is not null && Podium.Tasks.TaskRegistry.NameFor(config) != task)
            throw new PodiumException($"{s.Config}: {command} trains task {task}, this config is {Podium.Tasks.TaskRegistry.NameFor(config)} (an ocr section makes a text-detection config)");
        var runPath = s.Out ?? Tracking.RunDirectory.NextFree("runs", config.Name ?? Path.GetFileNameWithoutExtension(s.Config));
        return Tracking.ConsoleProgress.Run(progress => Podium.Runs.TrainingPipeline.Train(config, runPath, new() { Log = Log, Loggers = [progress], Overwrite = s.Overwrite }));
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
        var result = RunEvaluator.Evaluate(s.Run, s.Data, s.Device, Log, new EvaluateOptions(s.Tta, s.TtaMerge, s.TuneThresholds, s.Metric));
        PrintEvaluation(result);
        var run = new Tracking.RunDirectory(s.Run);
        Podium.Runs.RunReport.Write(run);
        Log(File.Exists(run.LabelScoresPlot) && !File.Exists(run.ConfusionPlot) ? $"per-label scores: {run.LabelScoresPlot}" : $"confusion matrix: {run.ConfusionPlot}");
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
        if (s.IdStyle is not null and not ("stem" or "filename" or "path")) throw new PodiumException($"--id-style {s.IdStyle}: expected stem, filename or path");
        int rows = RunPredictor.Predict(s.Run, s.Input, s.Out, s.Sample, s.IdStyle, s.Device, Log, s.Tta, s.TtaMerge, s.Probabilities);
        Log($"wrote {rows} predictions to {Path.GetFullPath(s.Out)}");
        return 0;
    }
}

public sealed class EmbedCommand : PodiumCommand<EmbedCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandOption("--run <DIR>")]
        public string Run { get; init; } = "";

        [CommandOption("--input <DIR_OR_CSV>")]
        [Description("Images to embed: a folder or a CSV (labelled as the run's classes: k-NN accuracy is reported)")]
        public string Input { get; init; } = "";

        [CommandOption("--out <FILE>")]
        [Description("CSV of embeddings: path, e0, e1, ... (unit length; a cosine head's embedding, else pooled features)")]
        public string Out { get; init; } = "embeddings.csv";

        [CommandOption("--gallery <DIR_OR_CSV>")]
        [Description("Labelled images to search: writes each input's nearest ones and their majority label")]
        public string? Gallery { get; init; }

        [CommandOption("-k <K>")]
        [Description("Neighbours per image (default 5)")]
        public int K { get; init; } = 5;

        [CommandOption("--neighbours <FILE>")]
        [Description("Where the neighbours go (default neighbours.csv beside --out)")]
        public string? Neighbours { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Run.Length == 0 || s.Input.Length == 0) throw new PodiumException("embed: --run DIR and --input DIR_OR_CSV are required");
        var r = RunPredictor.Embed(s.Run, s.Input, s.Out, s.Gallery, s.K, s.Neighbours, s.Device, Log);
        Log($"wrote {r.Count} embeddings of {r.Width} values to {Path.GetFullPath(s.Out)}");
        if (r.NeighboursPath is not null) Log($"wrote {s.K} nearest gallery images per input to {r.NeighboursPath}");
        if (r.KnnAccuracy is { } acc) Log(F($"k-NN accuracy (majority of {s.K}): {acc:F4}"));
        return 0;
    }
}

public sealed class CvCommand : PodiumCommand<CvCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandArgument(0, "<CONFIG>")]
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
        public string[] Set { get; init; } = [];
    }

    protected override int Run(Settings s)
    {
        var name = Path.GetFileNameWithoutExtension(s.Config);
        var outDir = s.Out ?? Tracking.RunDirectory.NextFree("runs", name + "-cv");
        var r = Tracking.ConsoleProgress.Run(progress => Podium.Runs.CrossValidation.Run(s.Config, s.Set, s.Folds, outDir, s.Test, s.Tta, s.Device, new() { Log = Log, Loggers = [progress] }));
        var table = new Table().AddColumns("fold", "images", r.Metric, "test " + r.Metric);
        foreach (var f in r.Folds)
            table.AddRow(f.Fold.ToString(CultureInfo.InvariantCulture), f.Images.ToString(CultureInfo.InvariantCulture), F($"{f.Metric:F4}"), f.TestMetric is { } t ? F($"{t:F4}") : "-");
        AnsiConsole.Write(table);
        Log(F($"out of fold {r.Metric}: {r.Oof:F4}; folds {r.Mean:F4} ± {r.Std:F4} (mean ± sd over {r.Folds.Count})"));
        if (r.EnsembleTest is { } e)
            Log(F($"test {r.Metric}: fold ensemble (mean probabilities) {e:F4}; best single fold {r.Folds.Max(f => f.TestMetric ?? double.NaN):F4}, mean {r.Folds.Average(f => f.TestMetric ?? double.NaN):F4}"));
        Log($"out-of-fold predictions: {r.OofPath}");
        if (r.Submission is not null) Log($"submission (fold ensemble): {r.Submission}");
        return 0;
    }
}

public sealed class EnsembleCommand : PodiumCommand<EnsembleCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<MEMBERS>")]
        [Description("Runs (predictions/val.csv, predictions/test.csv) or cv folders (oof.csv, test.csv)")]
        public string[] Members { get; init; } = [];

        [CommandOption("--method <METHOD>")]
        [Description("soft (mean), hard (votes), weighted (weights fitted on validation), rank (rank average), stack (logistic regression)")]
        public string Method { get; init; } = "soft";

        [CommandOption("--metric <NAME>")]
        [Description("What scores the members and fits weights (default: the first member's train.metric)")]
        public string? Metric { get; init; }

        [CommandOption("--out <FILE>")]
        public string Out { get; init; } = "ensemble.csv";

        [CommandOption("--sample <FILE>")]
        [Description("sample_submission.csv to match")]
        public string? Sample { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Metric is not null && !Metrics.Names.ContainsKey(s.Metric)) throw new PodiumException($"--metric {s.Metric}: unknown ({string.Join(", ", Metrics.Names.Keys)})");
        var r = EnsembleRunner.Run(s.Members, s.Method, s.Metric, s.Out, s.Sample, Log);
        foreach (var (member, score) in r.Members) Log(F($"{member}: {r.Metric} {score:F4}"));
        Log(F($"{r.Method} ensemble: {r.Metric} {r.Score:F4}") + (r.Optimistic ? " (optimistic: the weights were fitted on these predictions)" : "")
            + (r.Method == "stack" ? " (5-fold within the validation predictions)" : ""));
        if (r.Weights is not null) Log("weights: " + string.Join(", ", r.Weights.Select((w, i) => F($"{s.Members[i]} {w:0.00}"))));
        if (r.Submission is not null) Log($"submission: {r.Submission}; probabilities: {r.Probabilities}");
        return 0;
    }
}

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
        public int? MaxPerClass { get; init; }

        [CommandOption("--no-balance")]
        [Description("Do not cap classes to the labelled data's class shares")]
        public bool NoBalance { get; init; }

        [CommandOption("--tta <VIEWS>")]
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
            if (s.Run is null || s.Input is null) throw new PodiumException("pseudo-label: give --run RUN --input DIR, or --predictions FILE");
            if (ConfigLoader.Load(Tracking.RunDirectory.Open(s.Run).Config).Data.MultiLabel)
                throw new PodiumException($"{s.Run}: a multi-label run; podium pseudo-label works on single-label runs");
            var probabilities = Path.Combine(s.Run, "predictions", "pseudo_input.csv");
            RunPredictor.Predict(s.Run, s.Input, Path.Combine(s.Run, "predictions", "pseudo_input_submission.csv"), null, null, s.Device, Log, s.Tta, "mean", probabilities);
            predictions = PredictionFile.Read(probabilities).SingleLabel(probabilities, "podium pseudo-label");
        }
        var split = s.Split ?? (s.Run is not null ? Path.Combine(s.Run, "split.csv") : throw new PodiumException("pseudo-label: --split FILE is needed with --predictions"));
        var r = PseudoLabels.Run(predictions, split, s.Threshold, s.MaxPerClass, !s.NoBalance, s.Out);
        Log(F($"{r.Kept} of {r.Candidates} images pseudo-labelled at p >= {s.Threshold:0.###}: ") +
            string.Join(", ", r.PerClass.Select(c => $"{c.Class} {c.Kept} (of {c.Confident} confident)")));
        if (r.Accuracy is { } acc && !double.IsNaN(acc)) Log(F($"their labels are known here: {acc * 100:F1}% of the pseudo-labels are right"));
        Log($"split file: {r.SplitPath} ({r.LabelledRows} labelled rows + {r.Kept} pseudo-labelled on the training side); train on it with --set data.split={s.Out}");
        return 0;
    }
}

public sealed class SubmitLogCommand : PodiumCommand<SubmitLogCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<RUN>")]
        [Description("The run or cv folder the submission came from")]
        public string Run { get; init; } = "";

        [CommandOption("--public-score <X>")]
        public double? Public { get; init; }

        [CommandOption("--private-score <X>")]
        public double? Private { get; init; }

        [CommandOption("--note <TEXT>")]
        public string? Note { get; init; }

        [CommandOption("--book <FILE>")]
        [Description("The submission book (default submissions.csv)")]
        public string Book { get; init; } = "submissions.csv";
    }

    protected override int Run(Settings s)
    {
        if (s.Public is null) throw new PodiumException("submit-log: --public-score X is required");
        var r = Leaderboard.Record(s.Book, s.Run, s.Public.Value, s.Private, s.Note);
        Log(F($"recorded in {Path.GetFullPath(s.Book)}: validation {r.Metric} {r.Validation:F4}, public {r.Public:F4}"));
        return 0;
    }
}

public sealed class LeaderboardCommand : PodiumCommand<LeaderboardCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--book <FILE>")]
        public string Book { get; init; } = "submissions.csv";

        [CommandOption("--out <DIR>")]
        [Description("Where leaderboard.png and leaderboard.html go (default: beside the book)")]
        public string? Out { get; init; }
    }

    protected override int Run(Settings s)
    {
        var r = Leaderboard.Show(s.Book, s.Out ?? Path.GetDirectoryName(Path.GetFullPath(s.Book))!);
        var table = new Table().AddColumns("#", "time", "run", "metric", "validation", "public", "private", "note");
        int i = 0;
        foreach (var sub in r.Submissions)
            table.AddRow((++i).ToString(CultureInfo.InvariantCulture), sub.Time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape(Path.GetFileName(sub.Run)),
                sub.Metric, F($"{sub.Validation:F4}"), F($"{sub.Public:F4}"), sub.Private is { } p ? F($"{p:F4}") : "", Markup.Escape(sub.Note));
        AnsiConsole.Write(table);
        Log(F($"validation vs public: Pearson {r.Pearson:F3}, Spearman {r.Spearman:F3}") + (r.TrendAgreement is { } t ? F($"; same direction in {t * 100:F0}% of consecutive changes") : ""));
        if (r.Pearson < 0.5) Log("warning: validation does not predict the leaderboard here; revisit the split (podium split --like TEST) before trusting either");
        Log($"plot: {r.Plot}");
        Log($"page: {r.Page}");
        return 0;
    }
}

public sealed class QuickstartCommand : PodiumCommand<QuickstartCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--out <DIR>")]
        [Description("Where to put the data, run, submission and report (default: quickstart, or quickstart-ocr with --ocr)")]
        public string? Out { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        public string[] Set { get; init; } = [];

        [CommandOption("--ocr")]
        [Description("The OCR path instead: synthetic documents → DBNet text detection → scored, detected and cropped test pages")]
        public bool Ocr { get; init; }
    }

    protected override int Run(Settings s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (s.Ocr)
        {
            var o = Tracking.ConsoleProgress.Run(progress => Podium.Runs.OcrQuickstart.Run(s.Out ?? "quickstart-ocr", s.Set, new() { Log = Log, Loggers = [progress] }));
            Log(F($"validation (best epoch {o.Train.BestEpoch}): precision {o.Validation.Validation.Precision:F4}, recall {o.Validation.Validation.Recall:F4}, hmean {o.Validation.Validation.Hmean:F4}"));
            Log(F($"test pages ({o.Test.Images.Count}, ICDAR 2015 protocol): precision {o.Test.Precision:F4}, recall {o.Test.Recall:F4}, hmean {o.Test.Hmean:F4}"));
            Log(F($"per page at {o.Validation.InputWidth}x{o.Validation.InputHeight}: network {o.Validation.NetworkMs:F0} ms, post-processing {o.Validation.PostProcessMs:F1} ms (median)"));
            Log($"detections: {o.Detections} (drawn pages, JSON, ICDAR txt)");
            Log($"crops:      {o.Crops} ({o.CropCount} line images)");
            Log($"report:     {o.Train.Run.Report}");
            Log(F($"quickstart done in {clock.Elapsed.TotalSeconds:F0} s"));
            return 0;
        }
        var r = Tracking.ConsoleProgress.Run(progress => Podium.Runs.QuickstartRunner.Run(s.Out ?? "quickstart", s.Set, new() { Log = Log, Loggers = [progress] }));
        PrintEvaluation(((Podium.Tasks.Classification.ClassificationOutcome)r.Train.Task).Evaluation);
        Log(F($"test accuracy of the submission (scored against the hidden labels): {r.TestAccuracy:F4}"));
        Log($"submission: {r.Submission}");
        Log($"report:     {r.Train.Run.Report}");
        Log($"eda report: {r.EdaReport}");
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
        var load = Data.DatasetReader.OpenToLook(config.Data.Train, config.Data.TextPoints);
        if (load.Skipped.Count > 0) Log($"skipped {load.Skipped.Count} inputs: {load.SkipSummary()}");
        using var grid = Augment.AugmentPreview.Render(load.Enforce(config.Data.OnBadInput), pipeline, config.Data.Channels, s.N, config.Seed);
        Tracking.AtomicFile.WritePng(s.Out, grid);
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

public sealed class EdaCommand : PodiumCommand<EdaCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DATA>")]
        [Description("Image folder (one folder per class, or flat), CSV manifest, idx file, or OCR folder (img/ + box/)")]
        public string Data { get; init; } = "";

        [CommandOption("--test <TEST_DATA>")]
        [Description("Test images (a folder or CSV): compared with DATA for leakage and shift")]
        public string? Test { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Where eda.json, report.html and plots/ go (default: eda)")]
        public string Out { get; init; } = "eda";

        [CommandOption("--hash-distance <BITS>")]
        [Description("Near duplicates: perceptual hashes at most this many bits apart (default 10)...")]
        public int HashDistance { get; init; } = 10;

        [CommandOption("--similarity <R>")]
        [Description("...and 32x32 thumbnails correlating at least this much (default 0.99)")]
        public double Similarity { get; init; } = 0.99;

        [CommandOption("--min-size <PX>")]
        [Description("Images with a side under this are reported as tiny (default 32)")]
        public int MinSize { get; init; } = 32;

        [CommandOption("--max-aspect <R>")]
        [Description("Images longer than this many times their width are reported (default 5)")]
        public double MaxAspect { get; init; } = 5;

        [CommandOption("--threads <N>")]
        [Description("Scanning threads (default: all cores)")]
        public int Threads { get; init; }

        [CommandOption("--seed <SEED>")]
        [Description("Seed for the sample grid (default 0)")]
        public int Seed { get; init; }

        [CommandOption("--text-points <N>")]
        [Description("Text data in ICDAR txt files: N points per line (default 4), or 0 for any number")]
        public int TextPoints { get; init; } = Ocr.IcdarText.QuadPoints;
    }

    protected override int Run(Settings s)
    {
        if (s.HashDistance is < 0 or > 64) throw new PodiumException($"--hash-distance {s.HashDistance}: between 0 and 64 bits");
        if (s.Similarity is < -1 or > 1) throw new PodiumException($"--similarity {s.Similarity}: a correlation in [-1, 1]");
        var options = new Eda.EdaOptions
        {
            HashDistance = s.HashDistance, Similarity = s.Similarity, MinSide = s.MinSize, MaxAspect = s.MaxAspect,
            Threads = s.Threads > 0 ? s.Threads : Environment.ProcessorCount, Seed = s.Seed,
            TextPoints = Ocr.IcdarText.CheckPoints(s.TextPoints, "--text-points"),
        };
        var r = Eda.EdaRunner.Run(s.Data, s.Test, s.Out, options, Log);
        Log(F($"{r.Kind} data: {r.Images} images") + (r.Skipped > 0 ? F($" ({r.Skipped} left out: see the report)") : "") +
            (r.Classes.Count > 0 ? F($", {r.Classes.Count} classes, imbalance ratio {r.ImbalanceRatio:F2}") : ""));
        Log($"normalize: mean [{string.Join(", ", r.Normalize.Mean.Select(v => F($"{v:F4}")))}], std [{string.Join(", ", r.Normalize.Std.Select(v => F($"{v:F4}")))}]");
        Log(F($"duplicates: {r.Duplicates.ExactPairs} identical and {r.Duplicates.NearPairs} near pairs ({r.Duplicates.RedundantImages} redundant images)"));
        if (r.Test is not null) Log(F($"leakage: {r.Leakage.ExactPairs} identical and {r.Leakage.NearPairs} near train/test pairs"));
        Log(F($"suspicious files: {r.Suspicious.Count}"));
        if (r.Text is { } t) Log(F($"text regions: {t.Regions} ({t.DontCare} don't care), median {t.RegionsPerImage.Median} per image, median height {t.Height.Median:F1} px"));
        Log(F($"done in {r.Seconds:F1} s"));
        Log($"report: {Path.GetFullPath(Path.Combine(s.Out, "report.html"))}");
        return 0;
    }
}

public sealed class SplitCommand : PodiumCommand<SplitCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DATA>")]
        [Description("Labelled data: an image folder (one folder per class) or a CSV manifest")]
        public string Data { get; init; } = "";

        [CommandOption("--kfold <K>")]
        [Description("K stratified folds (grouped with --group): a fold column")]
        public int? KFold { get; init; }

        [CommandOption("--holdout <FRACTIONS>")]
        [Description("train,val[,test] fractions (default 0.7,0.15,0.15): a subset column")]
        public string? Holdout { get; init; }

        [CommandOption("--toy <FRACTION>")]
        [Description("Keep a stratified fraction (e.g. 0.1) with every class, then split it (default 0.8,0.2)")]
        public double? Toy { get; init; }

        [CommandOption("--group <COLUMN>")]
        [Description("CSV column of groups that must never straddle two folds or subsets")]
        public string? Group { get; init; }

        [CommandOption("--like <TEST_DATA>")]
        [Description("Adversarial validation: validation = the train images most like these test images")]
        public string? Like { get; init; }

        [CommandOption("--multi-label")]
        [Description("The CSV's label column holds space-separated labels (stratified by each image's rarest label)")]
        public bool MultiLabel { get; init; }

        [CommandOption("--seed <SEED>")]
        public int Seed { get; init; }

        [CommandOption("--out <FILE>")]
        [Description("Split file to write (default split.csv)")]
        public string Out { get; init; } = "split.csv";
    }

    protected override int Run(Settings s)
    {
        if (s.KFold is not null && s.Holdout is not null) throw new PodiumException("--kfold and --holdout: choose one");
        double[]? holdout = null;
        if (s.Holdout is not null)
        {
            try { holdout = s.Holdout.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray(); }
            catch (FormatException) { throw new PodiumException($"--holdout {s.Holdout}: expected fractions like 0.7,0.15,0.15"); }
        }
        var r = Data.SplitMaker.Make(new Data.SplitRequest
        {
            Data = s.Data, Out = s.Out, Seed = s.Seed, KFold = s.KFold, Holdout = holdout, Toy = s.Toy, GroupColumn = s.Group, Like = s.Like, MultiLabel = s.MultiLabel,
        });
        if (r.Skipped > 0) Log($"skipped {r.Skipped} inputs: {r.SkipSummary}");
        if (r.Adversarial is { } a)
        {
            Log(F($"adversarial validation: train vs test AUC {a.Auc:F3} ({(a.Auc < 0.6 ? "hard to tell apart: a random validation split is fine" : a.Auc < 0.8 ? "some shift" : "strong shift: validate on the test-like images")})"));
            Log("most telling features: " + string.Join(", ", a.Strongest.Select(t => F($"{t.Feature} ({t.Weight:+0.00;-0.00})"))));
            Log($"scores: {r.AdversarialPlot}");
        }
        var table = new Table().AddColumn(r.Column);
        foreach (var c in r.Classes) table.AddColumn(Markup.Escape(c));
        table.AddColumn("total");
        for (int p = 0; p < r.Parts.Count; p++)
        {
            var cells = Enumerable.Range(0, r.Classes.Count).Select(c => r.Counts[p, c]).ToArray();
            table.AddRow([r.Parts[p], .. cells.Select(v => v.ToString(CultureInfo.InvariantCulture)), r.Sizes[p].ToString(CultureInfo.InvariantCulture)]);
        }
        AnsiConsole.Write(table);
        if (r.Groups > 0) Log($"{r.Groups} groups, none in two {r.Column}s");
        Log($"wrote {r.Path}; train on it with data.split: {r.Path}" + (r.Column == "fold" ? " and data.fold: K" : ""));
        return 0;
    }
}

public sealed class LrFindCommand : PodiumCommand<LrFindCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandArgument(0, "<CONFIG>")]
        public string Config { get; init; } = "";

        [CommandOption("--start <LR>")]
        [Description("Lowest learning rate (default 1e-7)")]
        public double Start { get; init; } = 1e-7;

        [CommandOption("--end <LR>")]
        [Description("Highest learning rate (default 10)")]
        public double End { get; init; } = 10;

        [CommandOption("--steps <N>")]
        [Description("Steps of the test (default 100)")]
        public int Steps { get; init; } = 100;

        [CommandOption("--out <DIR>")]
        [Description("Where lr_find.png and lr_find.csv go (default lr_find)")]
        public string Out { get; init; } = "lr_find";

        [CommandOption("--set <KEY=VALUE>")]
        public string[] Set { get; init; } = [];
    }

    protected override int Run(Settings s)
    {
        var config = ConfigLoader.Load(s.Config, s.Set);
        if (s.Device is not null) config = config with { Device = s.Device };
        var r = Podium.Runs.LrFinder.Run(config, s.Out, s.Start, s.End, s.Steps, Log);
        Log(F($"{r.Lrs.Length} steps{(r.StoppedEarly ? " (stopped: the loss exploded)" : "")}; lowest smoothed loss at lr {r.MinLossLr:G3}"));
        Log(F($"suggested lr: {r.Suggested:G3} (steepest descent); the rule of thumb minimum/10 gives {r.MinLossLr / 10:G3}"));
        Log($"plot: {Path.GetFullPath(r.Plot)}");
        return 0;
    }
}
