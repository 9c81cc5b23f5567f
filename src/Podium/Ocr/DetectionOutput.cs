using System.Globalization;
using System.Text.Json;
using OpenCvSharp;
using Podium.IO;
using Scalar = OpenCvSharp.Scalar;

namespace Podium.Ocr;

/// <summary>What <c>podium ocr detect</c> writes per image: NAME.json (polygons and scores), res_NAME.txt (ICDAR, one polygon and its score
/// per line) and NAME_detected.jpg.</summary>
public static class DetectionOutput
{
    public static void Write(string outDir, string imagePath, Mat image, IReadOnlyList<TextDetection> regions)
    {
        Directory.CreateDirectory(outDir);
        var stem = Path.GetFileNameWithoutExtension(imagePath);
        string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        AtomicFile.WriteAllText(Path.Combine(outDir, stem + ".json"), JsonSerializer.Serialize(new
        {
            image = Path.GetFullPath(imagePath),
            width = image.Cols,
            height = image.Rows,
            regions = regions.Select(r => new
            {
                points = r.Points.Select(p => new[] { Math.Round(p.X, 2), Math.Round(p.Y, 2) }),
                score = Math.Round(r.Score, 4)
            }),
        }, JsonFiles.Options));
        AtomicFile.WriteAllLines(Path.Combine(outDir, "res_" + stem + ".txt"),
            regions.Select(r => string.Join(',',
                r.Points.SelectMany(p => new[] { N(p.X), N(p.Y) }).Append(r.Score.ToString("0.####", CultureInfo.InvariantCulture)))));
        using var drawn = Draw(image, regions);
        AtomicFile.WriteImage(Path.Combine(outDir, stem + "_detected.jpg"), drawn);
    }

    /// <summary>The image with each region outlined (green) and its score.</summary>
    public static Mat Draw(Mat image, IReadOnlyList<TextDetection> regions)
    {
        var output = new Mat();
        if (image.Channels() == 1) Cv2.CvtColor(image, output, ColorConversionCodes.GRAY2BGR);
        else Cv2.CvtColor(image, output, ColorConversionCodes.RGB2BGR);
        int thickness = Math.Max(1, Math.Max(image.Cols, image.Rows) / 600);
        foreach (var r in regions)
        {
            var pts = r.Points.Select(p => new Point((int)Math.Round(p.X), (int)Math.Round(p.Y))).ToArray();
            Cv2.Polylines(output, [pts], true, new Scalar(0, 200, 0), thickness, LineTypes.AntiAlias);
            Cv2.PutText(output, r.Score.ToString("0.00", CultureInfo.InvariantCulture), pts[0] + new Point(0, -2),
                HersheyFonts.HersheySimplex, 0.35 * thickness, new Scalar(0, 0, 220), 1, LineTypes.AntiAlias);
        }
        return output;
    }
}
