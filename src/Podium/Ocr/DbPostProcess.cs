using OpenCvSharp;
using CvPoint = OpenCvSharp.Point2d;
using Point = OpenCvSharp.Point;

namespace Podium.Ocr;

/// <summary>
/// Probability map → text regions, as DBNet does it: binarize, trace contours (OpenCV), fit each a minimum-area
/// rectangle (or simplify it to a polygon), score it by the mean probability inside, drop weak and tiny ones,
/// grow it back by the unclip distance (NetTopologySuite's round offset), fit again and scale to the image.
/// Everything per pixel runs in OpenCV's native code.
/// </summary>
public static class DbPostProcess
{
    public static List<TextDetection> Detect(float[] probability, int height, int width, int imageHeight, int imageWidth,
        DbPostProcessOptions? options = null)
    {
        options ??= new();
        using var map = FloatMap.ToMat(probability, height, width);
        using var binary = new Mat();
        Cv2.Threshold(map, binary, options.Threshold, 255, ThresholdTypes.Binary);
        using var bitmap = new Mat();
        binary.ConvertTo(bitmap, MatType.CV_8UC1);
        Cv2.FindContours(bitmap, out Point[][] contours, out _, RetrievalModes.List, ContourApproximationModes.ApproxSimple);
        double sx = imageWidth / (double)width, sy = imageHeight / (double)height;
        var result = new List<TextDetection>();
        foreach (var contour in contours.Take(options.MaxCandidates))
        {
            CvPoint[] kernel;
            if (options.Polygons)
            {
                var approx = Cv2.ApproxPolyDP(contour, 0.002 * Cv2.ArcLength(contour, true), true);
                if (approx.Length < 4) continue;
                kernel = approx.Select(p => new CvPoint(p.X, p.Y)).ToArray();
            }
            else
            {
                var (box, side) = MiniBox(contour.Select(p => new Point2f(p.X, p.Y)));
                if (side < options.MinSize) continue;
                kernel = box;
            }
            double score = MeanInside(map, kernel);
            if (score < options.BoxThreshold) continue;
            if (Unclip(kernel, options) is not { } grown) continue;
            CvPoint[] region;
            if (options.Polygons) region = grown;
            else
            {
                var (box, side) = MiniBox(grown.Select(p => new Point2f((float)p.X, (float)p.Y)));
                if (side < options.MinSize + 2) continue;
                region = box;
            }
            result.Add(new TextDetection(region.Select(p => new CvPoint(Math.Clamp(p.X * sx, 0, imageWidth), Math.Clamp(p.Y * sy, 0,
                imageHeight))).ToArray(), score));
        }
        return result;
    }

    /// <summary>The minimum-area rectangle of the points, corners clockwise from the top-left, and its shorter side.</summary>
    public static (CvPoint[] Box, double Side) MiniBox(IEnumerable<Point2f> points)
    {
        var rect = Cv2.MinAreaRect(points);
        var corners = rect.Points().OrderBy(p => p.X).ToArray();
        // Of the two leftmost corners the upper is the top-left, of the two rightmost the upper is the top-right.
        var (tl, bl) = corners[0].Y <= corners[1].Y ? (corners[0], corners[1]) : (corners[1], corners[0]);
        var (tr, br) = corners[2].Y <= corners[3].Y ? (corners[2], corners[3]) : (corners[3], corners[2]);
        return ([new(tl.X, tl.Y), new(tr.X, tr.Y), new(br.X, br.Y), new(bl.X, bl.Y)], Math.Min(rect.Size.Width, rect.Size.Height));
    }

    /// <summary>Mean probability inside the polygon, over its bounding box only (DBNet's box_score_fast).</summary>
    public static double MeanInside(Mat map, IReadOnlyList<CvPoint> polygon)
    {
        int x1 = Math.Clamp((int)Math.Floor(polygon.Min(p => p.X)), 0, map.Cols - 1),
            x2 = Math.Clamp((int)Math.Ceiling(polygon.Max(p => p.X)), 0, map.Cols - 1);
        int y1 = Math.Clamp((int)Math.Floor(polygon.Min(p => p.Y)), 0, map.Rows - 1),
            y2 = Math.Clamp((int)Math.Ceiling(polygon.Max(p => p.Y)), 0, map.Rows - 1);
        using var roi = new Mat(map, new Rect(x1, y1, x2 - x1 + 1, y2 - y1 + 1));
        using var mask = new Mat(roi.Rows, roi.Cols, MatType.CV_8UC1, Scalar.All(0));
        Cv2.FillPoly(mask, [polygon.Select(p => new Point((int)Math.Round(p.X - x1), (int)Math.Round(p.Y - y1))).ToArray()], Scalar.All(1));
        return Cv2.Mean(roi, mask).Val0;
    }

    /// <summary>The kernel grown by the unclip distance (round joins, like pyclipper's JT_ROUND), or null when that fails.</summary>
    public static CvPoint[]? Unclip(IReadOnlyList<CvPoint> kernel, DbPostProcessOptions options)
    {
        if (DetectionEvaluation.ToGeometry(kernel) is not { } shape) return null;
        double d = options.UnclipRatio > 0 ? shape.Area * options.UnclipRatio / shape.Length : InverseShrink(shape.Area, shape.Length,
            options.ShrinkRatio);
        if (DbTargets.Largest(shape.Buffer(d)) is not { } grown) return null;
        return grown.ExteriorRing.Coordinates.SkipLast(1).Select(c => new CvPoint(c.X, c.Y)).ToArray();
    }

    /// <summary>
    /// The distance D that undoes a shrink of a rectangle: with A, L the kernel's area and perimeter, the grown box has
    /// area A + L·D + 4D² and perimeter L + 8D, and the shrink took D = (1 − r²)·area/perimeter from it, so
    /// (8 − 4c)·D² + (1 − c)·L·D − c·A = 0 with c = 1 − r²; the positive root.
    /// </summary>
    public static double InverseShrink(double area, double perimeter, double ratio)
    {
        double c = 1 - ratio * ratio, a = 8 - 4 * c, b = (1 - c) * perimeter;
        return (-b + Math.Sqrt(b * b + 4 * a * c * area)) / (2 * a);
    }
}
