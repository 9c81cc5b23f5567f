using System.Globalization;
using OpenCvSharp;
using Podium.Data;
using static Podium.Reporting.ImageGrid;

namespace Podium.Ocr;

/// <summary>
/// plots/val_detections.png: the validation images a detector did worst on (lowest hmean) and the best ones, truth in
/// blue (don't-care grey) under the detections in green, each captioned with its precision, recall and hmean.
/// </summary>
public static class DetectionGallery
{
    private const int Tile = 360, Caption = 18, Gap = 6, Columns = 3;

    public static void Write(string path, ImageDataset data, IReadOnlyList<DetectionResult> found, DetectionScore score, int worst = 4,
        int best = 2)
    {
        var order = Enumerable.Range(0, score.Images.Count).OrderBy(i => score.Images[i].Hmean).ThenBy(i => i).ToList();
        var shown = order.Take(worst).Concat(order.Skip(worst).TakeLast(best)).ToList();
        if (shown.Count == 0) return;
        int rows = (shown.Count + Columns - 1) / Columns;
        using var grid = new Mat(rows * (Tile + Caption + Gap), Columns * (Tile + Gap), MatType.CV_8UC3, Scalar.All(255));
        for (int k = 0; k < shown.Count; k++)
        {
            int i = shown[k], x = k % Columns * (Tile + Gap), y = k / Columns * (Tile + Caption + Gap);
            using (var tile = Draw(data.Read(i, 3), data.Polygons(i) ?? [], found[i].Regions))
                Paste(grid, tile, x, y);
            var s = score.Images[i];
            Text(grid, string.Create(CultureInfo.InvariantCulture,
                $"{Shorten(s.Name, 16)}  P {s.Precision:F2} R {s.Recall:F2} H {s.Hmean:F2}"), x + 2, y + Tile + 13, 0.4,
                k < Math.Min(worst, shown.Count) ? new Scalar(0, 0, 190) : null);
        }
        IO.AtomicFile.WritePng(path, grid);
    }

    /// <summary>One letterboxed BGR tile of an RGB image (disposed here) with its truth and detections drawn.</summary>
    private static Mat Draw(Mat image, IReadOnlyList<Augment.Polygon> truth, IReadOnlyList<TextDetection> detections)
    {
        using var rgb = image;
        double s = (double)Tile / Math.Max(rgb.Cols, rgb.Rows);
        var tile = new Mat(Tile, Tile, MatType.CV_8UC3, Scalar.All(230));
        using (var scaled = new Mat())
        using (var bgr = new Mat())
        {
            Cv2.Resize(rgb, scaled, new Size(Math.Max(1, (int)(rgb.Cols * s)), Math.Max(1, (int)(rgb.Rows * s))), 0, 0,
                InterpolationFlags.Area);
            Cv2.CvtColor(scaled, bgr, ColorConversionCodes.RGB2BGR);
            using var roi = new Mat(tile, new Rect(0, 0, bgr.Width, bgr.Height));
            bgr.CopyTo(roi);
        }
        Point[] P(IEnumerable<Point2d> q) => [.. q.Select(p => new Point((int)Math.Round(p.X * s), (int)Math.Round(p.Y * s)))];
        foreach (var t in truth)
            Cv2.Polylines(tile, [P(t.Points)], true, t.Tag == IcdarText.DontCare ? Scalar.All(150) : new Scalar(220, 120, 0), 1,
                LineTypes.AntiAlias);
        foreach (var d in detections) Cv2.Polylines(tile, [P(d.Points)], true, new Scalar(0, 190, 0), 1, LineTypes.AntiAlias);
        return tile;
    }
}
