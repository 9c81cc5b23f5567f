using System.Globalization;
using OpenCvSharp;
using Podium.Data;
using Podium.IO;
using Podium.Ocr;

namespace Podium.Runs;

/// <summary>
/// <c>podium ocr detect</c> and <c>ocr crop</c> as services: every image of an input (an image or a folder) through a
/// trained detector into per-image files, or its regions (detected, or read from ICDAR box files) warped into upright
/// line images with a crops.csv.
/// </summary>
public static class TextDetections
{
    /// <summary>What a detection pass over an input wrote.</summary>
    public sealed record DetectSummary(int Images, int Regions, IReadOnlyList<SkippedInput> Skipped);

    /// <summary>What a crop pass wrote: line images, the images they came from, images without a box file, inputs left out.</summary>
    public sealed record CropSummary(int Lines, int Images, int Missing, IReadOnlyList<SkippedInput> Skipped);

    /// <summary>Detects every image of <paramref name="input"/>: NAME.json, res_NAME.txt and NAME_detected.jpg per image in <paramref
    /// name="outDir"/>, a line per image to <paramref name="log"/>.</summary>
    public static DetectSummary Detect(DbTextDetector detector, string input, string outDir, Action<string> log)
    {
        var (images, skipped) = OcrInputs.Images(input);
        int regions = 0;
        foreach (var path in images)
        {
            using var image = ImageDecoder.Read(path, detector.Channels);
            var r = detector.Detect(image);
            regions += r.Regions.Count;
            DetectionOutput.Write(outDir, path, image, r.Regions);
            log(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(path)}: {r.Regions.Count} regions ({r.InputWidth}x{r.InputHeight}, network {r.NetworkMs:F0} ms, " +
                    $"post-processing {r.PostProcessMs:F1} ms)"));
        }
        return new DetectSummary(images.Count, regions, skipped);
    }

    /// <summary>
    /// Warps each region of each image of <paramref name="input"/> to an upright line image in <paramref name="outDir"/>:
    /// regions from <paramref name="detector"/>, or else from <paramref name="boxes"/> (NAME.txt, gt_NAME.txt or res_NAME.txt
    /// per image; ICDAR truth lines of <paramref name="textPoints"/> points keep their transcription).
    /// </summary>
    public static CropSummary Crop(DbTextDetector? detector, string? boxes, int textPoints, string input, string outDir)
    {
        var (images, skipped) = OcrInputs.Images(input);
        Directory.CreateDirectory(outDir);
        var rows = new List<string> { TextCrops.CsvHeader };
        int missing = 0;
        foreach (var path in images)
        {
            using var image = ImageDecoder.Read(path, 3);
            List<(Point2d[] Points, string Text)> regions;
            if (detector is not null) regions = [.. detector.Detect(image).Regions.Select(r => (r.Points, ""))];
            else
            {
                var file = IcdarText.BoxesFile(boxes!, path, results: true);
                if (file is null) { missing++; continue; }
                try
                {
                    regions = Path.GetFileName(file).StartsWith("res_", StringComparison.Ordinal)
                        ? [.. DetectionEvaluation.ReadDetections(file).Select(p => (p, ""))]
                        : [.. IcdarText.Read(file, textPoints, skipped).Select(p => (p.Points, p.Tag ?? ""))];
                }
                catch (PodiumException e) { skipped.Add(new SkippedInput(file, e.Message)); continue; }
            }
            rows.AddRange(TextCrops.Write(outDir, path, image, regions));
        }
        AtomicFile.WriteAllLines(Path.Combine(outDir, "crops.csv"), rows);
        return new CropSummary(rows.Count - 1, images.Count - missing, missing, skipped);
    }
}
