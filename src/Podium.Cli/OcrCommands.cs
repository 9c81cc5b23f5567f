using System.ComponentModel;
using System.Globalization;
using Podium.Ocr;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class OcrEvaluateCommand : PodiumCommand<OcrEvaluateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--gt <DIR>")]
        [Description("ICDAR 2015 truth files (x1,y1,...,x4,y4,transcription; ### = don't care), e.g. gt_img_1.txt or img_1.txt")]
        public string? Gt { get; init; }

        [CommandOption("--pred <DIR>")]
        [Description("Result files, one polygon per line (x1,y1,...,xn,yn[,confidence]), e.g. res_img_1.txt or img_1.txt")]
        public string? Pred { get; init; }

        [CommandOption("--iou <IOU>")]
        [Description("Match when IoU exceeds this (default 0.5)")]
        public double Iou { get; init; } = 0.5;

        [CommandOption("--out <CSV>")]
        [Description("Per-image breakdown to write (name, cared-for truth and detections, matches, precision, recall, hmean)")]
        public string? Out { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Gt is null || s.Pred is null) throw new PodiumException("ocr evaluate: give --gt DIR --pred DIR");
        if (s.Iou is <= 0 or >= 1) throw new PodiumException($"--iou {s.Iou}: a value in (0, 1)");
        var (score, skipped, missing) = DetectionEvaluation.EvaluateFolders(s.Gt, s.Pred, s.Iou);
        if (skipped.Count > 0) Log($"skipped {skipped.Count} files: {Data.SkippedInput.Summarize(skipped)}");
        if (missing > 0) Log($"{missing} of {score.Images.Count} images have no result file (scored as no detections)");
        int invalid = score.Images.Sum(i => i.Invalid);
        if (invalid > 0) Log($"{invalid} polygons are not simple polygons with an area and were left out (as the official script does)");
        var worst = score.Images.OrderBy(i => i.Hmean).ThenBy(i => i.Name, StringComparer.Ordinal).Take(5).ToList();
        var table = new Table().AddColumns("worst images", "truth", "detections", "matched", "precision", "recall", "hmean");
        foreach (var i in worst)
            table.AddRow(Markup.Escape(i.Name), I(i.GtCare), I(i.DetCare), I(i.Matched), F($"{i.Precision:F3}"), F($"{i.Recall:F3}"), F($"{i.Hmean:F3}"));
        AnsiConsole.Write(table);
        Log(F($"{score.Images.Count} images: precision {score.Precision:F4}, recall {score.Recall:F4}, hmean {score.Hmean:F4} ({score.Matched} matched of {score.GtCare} truth and {score.DetCare} detections; IoU > {s.Iou:0.##})"));
        if (s.Out is not null)
        {
            DetectionRun.WritePerImage(s.Out, score);
            Log($"per image: {s.Out}");
        }
        return 0;
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}

public sealed class OcrTrainCommand : PodiumCommand<OcrTrainCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandArgument(0, "<CONFIG>")]
        [Description("YAML config with an ocr section (model.name is the backbone)")]
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
        var config = Config.ConfigLoader.Load(s.Config, s.Set);
        if (s.Device is not null) config.Device = s.Device;
        var runPath = s.Out ?? Tracking.RunDirectory.NextFree("runs", config.Name ?? Path.GetFileNameWithoutExtension(s.Config));
        var r = DetectionRun.Execute(config, runPath, Log);
        Log(F($"best epoch {r.BestEpoch}: validation ({r.Validation.Images.Count} images, ICDAR 2015 protocol) precision {r.Validation.Precision:F4}, recall {r.Validation.Recall:F4}, hmean {r.Validation.Hmean:F4}"));
        Log(F($"per image at {r.InputWidth}x{r.InputHeight}: network {r.NetworkMs:F0} ms, post-processing {r.PostProcessMs:F1} ms (median)"));
        Log($"run: {r.Run.Root}");
        return 0;
    }
}

public sealed class OcrTargetsCommand : PodiumCommand<OcrTargetsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DATA>")]
        [Description("Text-detection data: an ICDAR/SROIE folder (img/ + box/) or a text manifest (.json)")]
        public string Data { get; init; } = "";

        [CommandOption("-n|--count <N>")]
        [Description("How many images to render (default 4, the first ones)")]
        public int Count { get; init; } = 4;

        [CommandOption("--shrink-ratio <R>")]
        [Description("r in D = A(1 - r^2)/L (default 0.4)")]
        public double ShrinkRatio { get; init; } = 0.4;

        [CommandOption("--out <DIR>")]
        [Description("Folder for the PNGs (default targets/)")]
        public string Out { get; init; } = "targets";
    }

    protected override int Run(Settings s)
    {
        if (s.Count < 1) throw new PodiumException($"--count {s.Count}: at least 1");
        if (s.ShrinkRatio is <= 0 or >= 1) throw new PodiumException($"--shrink-ratio {s.ShrinkRatio}: a value in (0, 1)");
        var load = Data.DatasetReader.Open(s.Data);
        if (load.Skipped.Count > 0) Log($"skipped {load.Skipped.Count} inputs: {load.SkipSummary()}");
        var data = load.Dataset;
        if (data.Polygons(0) is null) throw new PodiumException($"{s.Data}: no text polygons (an ICDAR folder img/ + box/, or a text manifest)");
        Directory.CreateDirectory(s.Out);
        var options = new DbTargetOptions(ShrinkRatio: s.ShrinkRatio);
        for (int i = 0; i < Math.Min(s.Count, data.Count); i++)
        {
            using var image = data.Read(i, 3);
            var polygons = data.Polygons(i)!;
            var maps = DbTargets.Make(image.Rows, image.Cols, polygons, options);
            using var picture = DbTargets.Render(image, maps, polygons);
            var path = Path.Combine(s.Out, Path.GetFileNameWithoutExtension(data.Locate(i)) + "_targets.png");
            Tracking.AtomicFile.WritePng(path, picture);
            Log(F($"{path}: {polygons.Count} regions ({maps.Ignored} ignored), text {maps.Probability.Count(v => v > 0) / (double)maps.Probability.Length:P1} of the pixels, border band {maps.ThresholdMask.Count(v => v > 0) / (double)maps.ThresholdMask.Length:P1}"));
        }
        return 0;
    }
}
