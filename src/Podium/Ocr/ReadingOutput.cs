using System.Globalization;
using System.Text.Json;
using OpenCvSharp;
using Podium.IO;

namespace Podium.Ocr;

/// <summary>What <c>podium ocr read</c> writes per page: NAME.json (regions with their polygons, scores, texts and confidences,
/// the page's text, and a receipt's key fields when asked), res_NAME.txt (ICDAR end-to-end: a polygon and its transcription per
/// line), NAME.txt (the text in reading order) and NAME_read.jpg (the regions outlined with their text).</summary>
public static class ReadingOutput
{
    /// <param name="fields">The receipt's key fields when they were extracted (written as NAME.json's fields).</param>
    public static void Write(string outDir, string imagePath, Mat image, PageReading page, KeyFields? fields = null)
    {
        Directory.CreateDirectory(outDir);
        var stem = Path.GetFileNameWithoutExtension(imagePath);
        string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        var text = page.Text;
        AtomicFile.WriteAllText(Path.Combine(outDir, stem + ".json"), JsonSerializer.Serialize(new
        {
            image = Path.GetFullPath(imagePath),
            width = image.Cols,
            height = image.Rows,
            regions = page.Regions.Select(r => new
            {
                points = r.Points.Select(p => new[] { Math.Round(p.X, 2), Math.Round(p.Y, 2) }),
                score = Math.Round(r.Score, 4),
                text = r.Text,
                confidence = Math.Round(r.Confidence, 4),
            }),
            text,
            fields = fields is null ? null : KeyFields.Names.ToDictionary(n => n, n => fields[n]),
        }, JsonFiles.Options));
        AtomicFile.WriteAllLines(Path.Combine(outDir, "res_" + stem + ".txt"),
            page.Regions.Select(r => string.Join(',', r.Points.SelectMany(p => new[] { N(p.X), N(p.Y) }).Append(r.Text))));
        AtomicFile.WriteAllText(Path.Combine(outDir, stem + ".txt"), text + "\n");
        using var drawn = Draw(image, page.Regions);
        AtomicFile.WriteImage(Path.Combine(outDir, stem + "_read.jpg"), drawn);
    }

    /// <summary>The page (BGR) with each region outlined in green and its text in red above it (ASCII; others as '?').</summary>
    public static Mat Draw(Mat image, IReadOnlyList<ReadRegion> regions)
    {
        var output = image.CvtColor(image.Channels() == 1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.RGB2BGR);
        int thickness = Math.Max(1, Math.Max(image.Cols, image.Rows) / 800);
        foreach (var r in regions)
        {
            var pts = r.Points.Select(p => new Point((int)Math.Round(p.X), (int)Math.Round(p.Y))).ToArray();
            Cv2.Polylines(output, [pts], true, new Scalar(0, 200, 0), thickness, LineTypes.AntiAlias);
            var label = string.Concat(r.Text.Select(c => c is >= ' ' and <= '~' ? c : '?'));
            if (label.Length > 0)
                Cv2.PutText(output, label, new Point(pts.Min(p => p.X), pts.Min(p => p.Y) - 2), HersheyFonts.HersheySimplex,
                    0.4 * thickness, new Scalar(0, 0, 220), 1, LineTypes.AntiAlias);
        }
        return output;
    }
}
