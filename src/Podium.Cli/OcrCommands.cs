using System.ComponentModel;
using System.Globalization;
using Podium.Ocr;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

/// <summary>The options of commands that detect with a trained run: the run, test-time views and the two post-processing overrides.</summary>
public class OcrDetectorSettings : DeviceSettings
{
    [CommandOption("--run <DIR>")]
    [Description("A run written by podium ocr train")]
    public string? Run { get; init; }

    [CommandOption("--tta <VIEWS>")]
    [Description("Average the probability maps of more views: hflip, scales=0.75:1.25")]
    public string? Tta { get; init; }

    [CommandOption("--unclip-ratio <R>")]
    [Description("Override the run's ocr.unclip_ratio (0: the exact inverse of the training shrink)")]
    public double? UnclipRatio { get; init; }

    [CommandOption("--box-threshold <P>")]
    [Description("Override the run's ocr.box_threshold")]
    public double? BoxThreshold { get; init; }

    [CommandOption("--eval-size <PX>")]
    [Description("Override the run's ocr.eval_size: the long side images are resized to (a multiple of 32)")]
    public int? EvalSize { get; init; }

    /// <summary>The run's detector with these options applied.</summary>
    public DbTextDetector LoadDetector()
    {
        if (EvalSize is < 64 or > 4096) throw new PodiumException($"--eval-size {EvalSize}: between 64 and 4096 pixels");
        return DetectionRunLoader.Load(Run!, Device, o => o with
        {
            UnclipRatio = UnclipRatio ?? o.UnclipRatio, BoxThreshold = BoxThreshold ?? o.BoxThreshold, EvalSize = EvalSize ?? o.EvalSize,
        }, Tta).Detector;
    }
}

/// <summary>Detector options plus how ICDAR txt annotations are read.</summary>
public class OcrDataSettings : OcrDetectorSettings
{
    [CommandOption("--text-points <N>")]
    [Description("ICDAR txt lines hold N points (default 4; 14 for CTW1500), or 0 for any number per line")]
    public int TextPoints { get; init; } = IcdarText.QuadPoints;

    /// <summary>The checked --text-points.</summary>
    public int Points() => IcdarText.CheckPoints(TextPoints, "--text-points");
}

public sealed class OcrEvaluateCommand : PodiumCommand<OcrEvaluateCommand.Settings>
{
    public sealed class Settings : OcrDataSettings
    {
        [CommandOption("--data <DIR>")]
        [Description("With --run: the labelled text data to detect and score (an ICDAR folder img/ + box/, or a text manifest)")]
        public string? Data { get; init; }

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
        if (s.Iou is <= 0 or >= 1) throw new PodiumException($"--iou {s.Iou}: a value in (0, 1)");
        DetectionScore score;
        List<Data.SkippedInput> skipped;
        int missing = 0;
        if (s.Run is not null || s.Data is not null)
        {
            if (s.Run is null || s.Data is null || s.Gt is not null || s.Pred is not null) throw new PodiumException("ocr evaluate: give --gt DIR --pred DIR, or --run DIR --data DIR");
            var detector = s.LoadDetector();
            var load = Data.DatasetReader.Open(s.Data, textPoints: s.Points());
            skipped = [.. load.Skipped];
            var data = TextRegionCheck.Fit(load.Dataset, skipped);
            var results = new List<DetectionResult>();
            score = DetectionScore.Detect(detector, data, results.Add);
            var (network, post) = DetectionResult.MedianTimes(results);
            int Median(Func<DetectionResult, int> side) => results.Select(side).Order().ElementAt(results.Count / 2);
            Log(F($"per image (median, network input about {Median(r => r.InputWidth)}x{Median(r => r.InputHeight)}): network {network:F0} ms, post-processing {post:F1} ms"));
        }
        else
        {
            if (s.Gt is null || s.Pred is null) throw new PodiumException("ocr evaluate: give --gt DIR --pred DIR, or --run DIR --data DIR");
            (score, skipped, missing) = DetectionEvaluation.EvaluateFolders(s.Gt, s.Pred, s.Iou, textPoints: s.Points());
        }
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
            score.WritePerImage(s.Out);
            Log($"per image: {s.Out}");
        }
        return 0;
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}

public sealed class OcrTrainCommand : PodiumCommand<TrainCommand.Settings>
{
    protected override int Run(TrainCommand.Settings s)
    {
        Print(TrainCommand.Train(s, "ocr train", task: "text_detection"));
        return 0;
    }

    /// <summary>A detection run's outcome: the best epoch's validation scores and the inference times.</summary>
    public static void Print(Podium.Runs.TrainOutcome outcome)
    {
        var r = (Podium.Tasks.Detection.DetectionOutcome)outcome.Task;
        Log(F($"best epoch {outcome.BestEpoch}: validation ({r.Validation.Images.Count} images, ICDAR 2015 protocol) precision {r.Validation.Precision:F4}, recall {r.Validation.Recall:F4}, hmean {r.Validation.Hmean:F4}"));
        Log(F($"per image at {r.InputWidth}x{r.InputHeight}: network {r.NetworkMs:F0} ms, post-processing {r.PostProcessMs:F1} ms (median)"));
        Log($"run: {outcome.Run.Root}");
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

        [CommandOption("--text-points <N>")]
        [Description("ICDAR txt lines hold N points (default 4; 14 for CTW1500), or 0 for any number per line")]
        public int TextPoints { get; init; } = IcdarText.QuadPoints;
    }

    protected override int Run(Settings s)
    {
        if (s.Count < 1) throw new PodiumException($"--count {s.Count}: at least 1");
        if (s.ShrinkRatio is <= 0 or >= 1) throw new PodiumException($"--shrink-ratio {s.ShrinkRatio}: a value in (0, 1)");
        var load = Data.DatasetReader.Open(s.Data, textPoints: IcdarText.CheckPoints(s.TextPoints, "--text-points"));
        if (load.Skipped.Count > 0) Log($"skipped {load.Skipped.Count} inputs: {load.SkipSummary()}");
        var data = load.Dataset;
        if (data.Polygons(0) is null) throw new PodiumException($"{s.Data}: no text polygons (an ICDAR folder img/ + box/, or a text manifest)");
        Directory.CreateDirectory(s.Out);
        var options = new DbTargetOptions(ShrinkRatio: s.ShrinkRatio);
        for (int i = 0; i < Math.Min(s.Count, data.Count); i++)
        {
            var (path, maps, regions) = DbTargets.WritePicture(data, i, options, s.Out);
            Log(F($"{path}: {regions} regions ({maps.Ignored} ignored), text {maps.Probability.Count(v => v > 0) / (double)maps.Probability.Length:P1} of the pixels, border band {maps.ThresholdMask.Count(v => v > 0) / (double)maps.ThresholdMask.Length:P1}"));
        }
        return 0;
    }
}

public sealed class OcrDetectCommand : PodiumCommand<OcrDetectCommand.Settings>
{
    public sealed class Settings : OcrDetectorSettings
    {
        [CommandOption("--input <IMG_OR_DIR>")]
        [Description("An image, or a folder of images")]
        public string? Input { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Where NAME.json, res_NAME.txt (ICDAR) and NAME_detected.jpg go (default detections/)")]
        public string Out { get; init; } = "detections";
    }

    protected override int Run(Settings s)
    {
        if (s.Run is null || s.Input is null) throw new PodiumException("ocr detect: give --run DIR --input IMG_OR_DIR");
        var detector = s.LoadDetector();
        var (images, skipped) = OcrInputs.Images(s.Input);
        if (skipped.Count > 0) Log($"skipped {skipped.Count} inputs: {Data.SkippedInput.Summarize(skipped)}");
        int regions = 0;
        foreach (var path in images)
        {
            using var image = Data.ImageDecoder.Read(path, detector.Channels);
            var r = detector.Detect(image);
            regions += r.Regions.Count;
            DetectionOutput.Write(s.Out, path, image, r.Regions);
            Log(F($"{Path.GetFileName(path)}: {r.Regions.Count} regions ({r.InputWidth}x{r.InputHeight}, network {r.NetworkMs:F0} ms, post-processing {r.PostProcessMs:F1} ms)"));
        }
        Log($"{images.Count} images, {regions} regions; results in {s.Out}");
        return 0;
    }
}

public sealed class OcrCropCommand : PodiumCommand<OcrCropCommand.Settings>
{
    public sealed class Settings : OcrDataSettings
    {
        [CommandOption("--input <IMG_OR_DIR>")]
        [Description("An image, or a folder of images")]
        public string? Input { get; init; }

        [CommandOption("--boxes <DIR>")]
        [Description("Or take them from ICDAR files: NAME.txt, gt_NAME.txt or res_NAME.txt (truth or podium ocr detect's output)")]
        public string? Boxes { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Where the line images and crops.csv go (default crops/)")]
        public string Out { get; init; } = "crops";
    }

    protected override int Run(Settings s)
    {
        if (s.Input is null || (s.Run is null) == (s.Boxes is null)) throw new PodiumException("ocr crop: give --input IMG_OR_DIR and one of --run DIR or --boxes DIR");
        var detector = s.Run is null ? null : s.LoadDetector();
        var (images, skipped) = OcrInputs.Images(s.Input);
        Directory.CreateDirectory(s.Out);
        var rows = new List<string> { TextCrops.CsvHeader };
        int missing = 0;
        foreach (var path in images)
        {
            using var image = Data.ImageDecoder.Read(path, 3);
            List<(OpenCvSharp.Point2d[] Points, string Text)> regions;
            if (detector is not null) regions = [.. detector.Detect(image).Regions.Select(r => (r.Points, ""))];
            else
            {
                var stem = Path.GetFileNameWithoutExtension(path);
                var file = new[] { stem + ".txt", "gt_" + stem + ".txt", "res_" + stem + ".txt" }.Select(n => Path.Combine(s.Boxes!, n)).FirstOrDefault(File.Exists);
                if (file is null) { missing++; continue; }
                try
                {
                    regions = Path.GetFileName(file).StartsWith("res_", StringComparison.Ordinal)
                        ? [.. DetectionEvaluation.ReadDetections(file).Select(p => (p, ""))]
                        : [.. IcdarText.Read(file, s.Points()).Select(p => (p.Points, p.Tag ?? ""))];
                }
                catch (PodiumException e) { skipped.Add(new Data.SkippedInput(file, e.Message)); continue; }
            }
            rows.AddRange(TextCrops.Write(s.Out, path, image, regions));
        }
        Tracking.AtomicFile.WriteAllLines(Path.Combine(s.Out, "crops.csv"), rows);
        if (skipped.Count > 0) Log($"skipped {skipped.Count} inputs: {Data.SkippedInput.Summarize(skipped)}");
        if (missing > 0) Log($"{missing} images have no box file in {s.Boxes}");
        Log($"{rows.Count - 1} line images from {images.Count - missing} images in {s.Out} (crops.csv lists them)");
        return 0;
    }
}

/// <summary>The images an OCR command reads: one file, or every image in a folder; unreadable ones are skipped with the reason.</summary>
internal static class OcrInputs
{
    public static (List<string> Images, List<Data.SkippedInput> Skipped) Images(string input)
    {
        var skipped = new List<Data.SkippedInput>();
        IEnumerable<string> candidates = File.Exists(input) ? [input]
            : Directory.Exists(input) ? Directory.GetFiles(input).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
            : throw new PodiumException($"{input}: no such file or folder");
        var images = new List<string>();
        foreach (var f in candidates)
        {
            var problem = Data.ImageDecoder.Problem(f);
            if (problem is null) images.Add(f);
            else skipped.Add(new Data.SkippedInput(f, problem));
        }
        if (images.Count == 0) throw new PodiumException($"{input}: no readable images ({skipped.Count} skipped{(skipped.Count > 0 ? ": " + skipped[0].Problem : "")})");
        return (images, skipped);
    }
}
