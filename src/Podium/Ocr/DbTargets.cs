using NetTopologySuite.Geometries;
using OpenCvSharp;
using Podium.Data;
using CvPoint = OpenCvSharp.Point2d;
using Point = OpenCvSharp.Point;
using TextPolygon = Podium.Augment.Polygon;

namespace Podium.Ocr;

/// <summary>
/// Builds DBNet's targets from text polygons (Liao et al. 2020, as the official code makes them): each polygon is
/// offset inwards by D = A(1 − r²)/L (NetTopologySuite's buffer) for the probability map and outwards by D for
/// the threshold map, whose value at a pixel is 1 − min(distance to the polygon's edges / D, 1).
/// </summary>
public static class DbTargets
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>The offset distance D = A(1 − r²)/L of a polygon with area A and perimeter L.</summary>
    public static double OffsetDistance(double area, double perimeter,
        double ratio) => perimeter <= 0 ? 0 : area * (1 - ratio * ratio) / perimeter;

    public static DbTargetMaps Make(int height, int width, IReadOnlyList<TextPolygon> polygons, DbTargetOptions? options = null)
    {
        int plane = height * width;
        var maps = new float[4 * plane];
        int ignored = Fill(height, width, polygons, options ?? new(), maps, 0);
        return new DbTargetMaps(height, width, maps[..plane], maps[plane..(2 * plane)], maps[(2 * plane)..(3 * plane)], maps[(3 * plane)..],
            ignored);
    }

    /// <summary>
    /// Writes the four maps (probability, its mask, threshold, its mask; H×W each, every value) into
    /// <paramref name="buffer"/> from <paramref name="offset"/>, drawing straight into it (a batch's buffer, reused);
    /// returns how many polygons were ignored.
    /// </summary>
    public static int Fill(int height, int width, IReadOnlyList<TextPolygon> polygons, DbTargetOptions options, float[] buffer, int offset)
    {
        int plane = height * width;
        buffer.AsSpan(offset, plane).Clear();
        buffer.AsSpan(offset + plane, plane).Fill(1);
        buffer.AsSpan(offset + 2 * plane, 2 * plane).Clear();
        var pinned = System.Runtime.InteropServices.GCHandle.Alloc(buffer, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            Mat Over(int k) => Mat.FromPixelData(height, width, MatType.CV_32FC1,
                System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(buffer, offset + k * plane));
            using var probability = Over(0);
            using var mask = Over(1);
            using var thresholdMask = Over(3);
            var canvas = buffer.AsSpan(offset + 2 * plane, plane);
            int ignored = Draw(polygons, options, probability, mask, thresholdMask, canvas, height, width);
            float range = (float)(options.ThreshMax - options.ThreshMin), low = (float)options.ThreshMin;
            foreach (ref float v in canvas) v = v * range + low;
            return ignored;
        }
        finally { pinned.Free(); }
    }

    private static int Draw(IReadOnlyList<TextPolygon> polygons, DbTargetOptions options, Mat probability, Mat mask, Mat thresholdMask,
        Span<float> canvas, int height, int width)
    {
        int ignored = 0;
        foreach (var region in polygons)
        {
            var points = region.Points;
            var outline = new[] { points.Select(p => new Point((int)Math.Round(p.X), (int)Math.Round(p.Y))).ToArray() };
            var shape = DetectionEvaluation.ToGeometry(points);
            double boxW = points.Max(p => p.X) - points.Min(p => p.X), boxH = points.Max(p => p.Y) - points.Min(p => p.Y);
            if (shape is null || region.Tag == IcdarText.DontCare || Math.Min(boxW, boxH) < options.MinTextSize)
            {
                Cv2.FillPoly(mask, outline, Scalar.All(0));
                ignored++;
                continue;
            }
            double d = OffsetDistance(shape.Area, shape.Length, options.ShrinkRatio);
            if (Largest(shape.Buffer(-d)) is not { } shrunk)
            {
                Cv2.FillPoly(mask, outline, Scalar.All(0));
                ignored++;
                continue;
            }
            Cv2.FillPoly(probability, [Pixels(shrunk)], Scalar.All(1));
            if (Largest(shape.Buffer(d)) is { } grown)
            {
                Cv2.FillPoly(thresholdMask, [Pixels(grown)], Scalar.All(1));
                DrawBorder(canvas, height, width, points, grown.EnvelopeInternal, d);
            }
        }
        return ignored;
    }

    /// <summary>
    /// Inside the grown polygon's box, each pixel's canvas becomes max(canvas, 1 − min over edges of distance/D, clipped to [0, 1]);
    /// pixels further than D from every edge are 0 (the official code's distance map).
    /// </summary>
    private static void DrawBorder(Span<float> canvas, int height, int width, IReadOnlyList<CvPoint> points, Envelope box, double d)
    {
        int x1 = Math.Max(0, (int)Math.Floor(box.MinX)), x2 = Math.Min(width - 1, (int)Math.Ceiling(box.MaxX));
        int y1 = Math.Max(0, (int)Math.Floor(box.MinY)), y2 = Math.Min(height - 1, (int)Math.Ceiling(box.MaxY));
        int n = points.Count;
        for (int y = y1; y <= y2; y++)
            for (int x = x1; x <= x2; x++)
            {
                double nearest = double.MaxValue;
                for (int k = 0; k < n; k++) nearest = Math.Min(nearest, SegmentDistance(x, y, points[k], points[(k + 1) % n]));
                double value = 1 - Math.Min(nearest / d, 1);
                ref float cell = ref canvas[y * width + x];
                if (value > cell) cell = (float)value;
            }
    }

    /// <summary>Distance from (x, y) to the segment a–b.</summary>
    public static double SegmentDistance(double x, double y, CvPoint a, CvPoint b)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y, length2 = dx * dx + dy * dy;
        double t = length2 == 0 ? 0 : Math.Clamp(((x - a.X) * dx + (y - a.Y) * dy) / length2, 0, 1);
        double px = a.X + t * dx - x, py = a.Y + t * dy - y;
        return Math.Sqrt(px * px + py * py);
    }

    /// <summary>The largest polygon of an offset result (a shrink can split a thin shape), or null when nothing is left.</summary>
    public static NetTopologySuite.Geometries.Polygon? Largest(Geometry g) => g switch
    {
        NetTopologySuite.Geometries.Polygon p when !p.IsEmpty => p,
        MultiPolygon m when !m.IsEmpty => m.Geometries.Cast<NetTopologySuite.Geometries.Polygon>().MaxBy(p => p.Area),
        _ => null,
    };

    /// <summary>The polygon's outer ring as integer pixel points for OpenCV's fill.</summary>
    public static Point[] Pixels(NetTopologySuite.Geometries.Polygon p) =>
        p.ExteriorRing.Coordinates.SkipLast(1).Select(c => new Point((int)Math.Round(c.X), (int)Math.Round(c.Y))).ToArray();

    /// <summary>Makes sample <paramref name="index"/>'s targets and writes their picture as OUT/NAME_targets.png; returns the path, the
    /// maps and the polygon count.</summary>
    public static (string Path, DbTargetMaps Maps, int Regions) WritePicture(Data.ImageDataset data, int index, DbTargetOptions options,
        string outDir)
    {
        using var image = data.Read(index, 3);
        var polygons = data.Polygons(index) ?? [];
        var maps = Make(image.Rows, image.Cols, polygons, options);
        using var picture = Render(image, maps, polygons);
        var path = System.IO.Path.Combine(outDir, System.IO.Path.GetFileNameWithoutExtension(data.Locate(index)) + "_targets.png");
        IO.AtomicFile.WritePng(path, picture);
        return (path, maps, polygons.Count);
    }

    /// <summary>
    /// A picture of the targets over the (RGB) image, as BGR for writing: probability map in red, threshold map in green,
    /// ignored regions darkened, each polygon's outline in blue. For checking targets by eye (<c>podium ocr targets</c>).
    /// </summary>
    public static Mat Render(Mat image, DbTargetMaps t, IReadOnlyList<TextPolygon> polygons)
    {
        var output = new Mat();
        // decoded images are RGB
        Cv2.CvtColor(image, output, image.Channels() == 1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.RGB2BGR);
        unsafe
        {
            byte* row0 = output.DataPointer;
            long step = output.Step();
            for (int y = 0; y < t.Height; y++)
            {
                byte* px = row0 + y * step;
                for (int x = 0; x < t.Width; x++, px += 3)
                {
                    int i = y * t.Width + x;
                    double p = t.Probability[i], th = t.ThresholdMask[i] > 0 ? (t.Threshold[i] - 0.3) / 0.4 : 0,
                        dim = t.ProbabilityMask[i] > 0 ? 1 : 0.35;
                    // Red where the probability target is 1, green by the threshold target's height in the band.
                    double a = 0.55 * p, b = 0.6 * th * (1 - p);
                    static byte Mix(byte v, double red, double green, double a, double b,
                        double dim) => (byte)Math.Clamp((v * (1 - a - b) + red * a + green * b) * dim, 0, 255);
                    px[0] = Mix(px[0], 0, 0, a, b, dim);
                    px[1] = Mix(px[1], 0, 200, a, b, dim);
                    px[2] = Mix(px[2], 230, 0, a, b, dim);
                }
            }
        }
        foreach (var r in polygons)
            Cv2.Polylines(output, [r.Points.Select(q => new Point((int)Math.Round(q.X), (int)Math.Round(q.Y))).ToArray()], true,
                r.Tag == IcdarText.DontCare ? new Scalar(128, 128, 128) : new Scalar(255, 0, 0), 1, LineTypes.AntiAlias);
        return output;
    }
}
