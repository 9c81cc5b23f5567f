using System.ComponentModel;
using System.Globalization;
using Podium.Data;
using Podium.Ocr;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

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
        [Description("Result files, one polygon per line (x1,y1,...,xn,yn[[,confidence]]), e.g. res_img_1.txt or img_1.txt")]
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
            if (s.Run is null || s.Data is null || s.Gt is not null
                || s.Pred is not null) throw new PodiumException("ocr evaluate: give --gt DIR --pred DIR, or --run DIR --data DIR");
            var detector = s.LoadDetector();
            var load = Data.DatasetReader.Open(s.Data, textPoints: s.Points());
            skipped = [.. load.Skipped];
            var data = TextRegionCheck.Fit(load.Dataset, skipped);
            var results = new List<DetectionResult>();
            score = DetectionScore.Detect(detector, data, results.Add);
            var (network, post) = DetectionResult.MedianTimes(results);
            int Median(Func<DetectionResult, int> side) => results.Select(side).Order().ElementAt(results.Count / 2);
            Log(F($"per image (median, network input about {Median(r => r.InputWidth)}x{Median(r => r.InputHeight)}): network " +
                $"{network:F0} ms, post-processing {post:F1} ms"));
        }
        else
        {
            if (s.Gt is null || s.Pred is null) throw new PodiumException("ocr evaluate: give --gt DIR --pred DIR, or --run DIR --data " +
                "DIR");
            (score, skipped, missing) = DetectionEvaluation.EvaluateFolders(s.Gt, s.Pred, s.Iou, textPoints: s.Points());
        }
        if (skipped.Count > 0) Log($"skipped {skipped.Count} inputs: {Data.SkippedInput.Summarize(skipped)}");
        // Every image left out of the score is counted in it, so a score over fewer images never passes for the whole set's.
        int leftOut = skipped.Count(k => ImageDecoder.HasImageExtension(k.Where));
        if (missing > 0) Log($"{missing} of {score.Images.Count} images have no result file (scored as no detections)");
        int invalid = score.Images.Sum(i => i.Invalid);
        if (invalid > 0) Log($"{invalid} polygons are not simple polygons with an area and were left out (as the official script does)");
        var worst = score.Images.OrderBy(i => i.Hmean).ThenBy(i => i.Name, StringComparer.Ordinal).Take(5).ToList();
        var table = new Table().AddColumns("worst images", "truth", "detections", "matched", "precision", "recall", "hmean");
        foreach (var i in worst)
            table.AddRow(Markup.Escape(i.Name), I(i.GtCare), I(i.DetCare), I(i.Matched), F($"{i.Precision:F3}"), F($"{i.Recall:F3}"),
                F($"{i.Hmean:F3}"));
        AnsiConsole.Write(table);
        Log(F($"{score.Images.Count} images: precision {score.Precision:F4}, recall {score.Recall:F4}, hmean {score.Hmean:F4} " +
            $"({score.Matched} matched of {score.GtCare} truth and {score.DetCare} detections; IoU > {s.Iou:0.##})" +
            $"{(leftOut > 0 ? $"; {leftOut} images of the data left out, not scored (named above)" : "")}"));
        if (s.Out is not null)
        {
            score.WritePerImage(s.Out);
            Log($"per image: {s.Out}");
        }
        return 0;
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
