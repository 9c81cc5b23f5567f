using System.Globalization;
using OpenCvSharp;
using CvPoint = OpenCvSharp.Point2d;

namespace Podium.Ocr;

/// <summary>
/// The second stage's input: each text region warped to an upright, axis-aligned line image. A quadrilateral is
/// mapped corner to corner by a perspective transform (width and height from its longer opposite sides); any other
/// polygon by its minimum-area rectangle. A region much taller than wide is turned a quarter so the line runs
/// left to right (PaddleOCR's rule for vertical crops).
/// </summary>
public static class TextCrops
{
    public const string CsvHeader = "crop,image,region,points,text";

    /// <summary>Writes each region of an RGB image as NAME_001.png, NAME_002.png … in <paramref name="outDir"/>; returns their crops.csv
    /// rows.</summary>
    public static List<string> Write(string outDir, string imagePath, Mat image, IReadOnlyList<(CvPoint[] Points, string Text)> regions)
    {
        Directory.CreateDirectory(outDir);
        var rows = new List<string>(regions.Count);
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        for (int k = 0; k < regions.Count; k++)
        {
            using var crop = Crop(image, regions[k].Points);
            using var bgr = new Mat();
            Cv2.CvtColor(crop, bgr, crop.Channels() == 1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.RGB2BGR);
            var name = $"{Path.GetFileNameWithoutExtension(imagePath)}_{k + 1:D3}.png";
            IO.AtomicFile.WritePng(Path.Combine(outDir, name), bgr);
            rows.Add(IO.Csv.Line([name, Path.GetFullPath(imagePath), (k + 1).ToString(CultureInfo.InvariantCulture),
                string.Join(' ', regions[k].Points.Select(p => F(p.X) + "," + F(p.Y))), regions[k].Text]));
        }
        return rows;
    }

    /// <summary>The region warped upright; with a <paramref name="margin"/> the page around it too, that many pixels on every side
    /// (the same warp carried past the region's edges; <see cref="Margin"/> sizes it).</summary>
    public static Mat Crop(Mat image, IReadOnlyList<CvPoint> region, int margin = 0)
    {
        var quad = Quad(region);
        var (w, h) = QuadSize(quad);
        int c = margin;
        using var m = Cv2.GetPerspectiveTransform(quad.Select(p => new Point2f((float)p.X, (float)p.Y)),
            [new Point2f(c, c), new Point2f(c + w, c), new Point2f(c + w, c + h), new Point2f(c, c + h)]);
        var crop = new Mat();
        Cv2.WarpPerspective(image, crop, m, new Size(w + 2 * c, h + 2 * c), InterpolationFlags.Cubic, BorderTypes.Replicate);
        if (h < 1.5 * w) return crop;
        var turned = new Mat();
        Cv2.Rotate(crop, turned, RotateFlags.Rotate90Counterclockwise);
        crop.Dispose();
        return turned;
    }

    /// <summary>The margin of page to keep around a region: <paramref name="context"/> times the line's height (its shorter side),
    /// in pixels.</summary>
    public static int Margin(IReadOnlyList<CvPoint> region, double context)
    {
        var (w, h) = QuadSize(Quad(region));
        return (int)Math.Round(context * Math.Min(w, h));
    }

    /// <summary>The width and height of the line <see cref="Crop"/> makes of a region (after its quarter turn, if any), without
    /// cropping.</summary>
    public static (int Width, int Height) Size(IReadOnlyList<CvPoint> region)
    {
        var (w, h) = QuadSize(Quad(region));
        return h < 1.5 * w ? (w, h) : (h, w);
    }

    private static CvPoint[] Quad(IReadOnlyList<CvPoint> region) =>
        region.Count == 4 ? Order(region) : DbPostProcess.MiniBox(region.Select(p => new Point2f((float)p.X, (float)p.Y))).Box;

    /// <summary>The warped line's size: each side the longer of its two opposite edges, at least 1 px.</summary>
    private static (int Width, int Height) QuadSize(CvPoint[] quad)
    {
        static double Dist(CvPoint a, CvPoint b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
        return (Math.Max(1, (int)Math.Round(Math.Max(Dist(quad[0], quad[1]), Dist(quad[3], quad[2])))),
            Math.Max(1, (int)Math.Round(Math.Max(Dist(quad[0], quad[3]), Dist(quad[1], quad[2])))));
    }

    /// <summary>A quadrilateral's corners as top-left, top-right, bottom-right, bottom-left (whatever order they came in).</summary>
    public static CvPoint[] Order(IReadOnlyList<CvPoint> q)
    {
        // Top-left has the smallest x + y, bottom-right the largest; top-right the smallest y − x, bottom-left the largest.
        var tl = q.MinBy(p => p.X + p.Y);
        var br = q.MaxBy(p => p.X + p.Y);
        var rest = q.Where(p => p != tl && p != br).ToList();
        if (rest.Count != 2) return [.. q]; // repeated corners: keep the given order
        var tr = rest.MinBy(p => p.Y - p.X);
        var bl = rest.MaxBy(p => p.Y - p.X);
        return [tl, tr, br, bl];
    }
}
