using OpenCvSharp;

namespace Podium.Augment;

/// <summary>A polygon (an OCR quad, or any length ≥ 3) with an optional tag (a transcription, "###").</summary>
public sealed record Polygon(Point2d[] Points, string? Tag = null)
{
    public double Area => Geometry.Area(Points);
}

/// <summary>An axis-aligned box, corners (X1, Y1) top-left and (X2, Y2) bottom-right, with a class label.</summary>
public readonly record struct Box(double X1, double Y1, double X2, double Y2, int Label = 0)
{
    public double Area => Math.Max(0, X2 - X1) * Math.Max(0, Y2 - Y1);
}

/// <summary>
/// When geometry leaves the image, as albumentations' BboxParams: boxes and polygons are clipped
/// to it and dropped if their area falls below <see cref="MinArea"/> pixels or below
/// <see cref="MinVisibility"/> of their area before clipping; keypoints outside are dropped.
/// </summary>
public sealed record TargetRules(double MinArea = 1, double MinVisibility = 0);

/// <summary>
/// Everything a transform works on, changed together with the same random parameters: the image,
/// an optional mask, polygons, keypoints and boxes. Points are in continuous pixel coordinates:
/// pixel (row i, column j) covers [j, j+1) x [i, i+1), so an image spans [0, W] x [0, H].
/// </summary>
public sealed class AugmentTarget(Mat image) : IDisposable
{
    /// <summary>8-bit, 1 or 3 channels (RGB), HxW. The target owns it: a transform may change it in place, or replace it (the old one is disposed).</summary>
    public Mat Image { get; private set; } = image;
    /// <summary>A label mask of the image's size (any depth); warped with nearest-neighbour.</summary>
    public Mat? Mask { get; private set; }
    public List<Polygon> Polygons { get; private set; } = [];
    public List<Point2d> Keypoints { get; private set; } = [];
    public List<Box> Boxes { get; private set; } = [];
    public TargetRules Rules { get; set; } = new();

    public int Width => Image.Width;
    public int Height => Image.Height;

    public AugmentTarget WithMask(Mat mask)
    {
        if (mask.Width != Image.Width || mask.Height != Image.Height)
            throw new ArgumentException($"mask is {mask.Width}x{mask.Height}, the image {Image.Width}x{Image.Height}");
        Mask = mask;
        return this;
    }

    public AugmentTarget WithPolygons(IEnumerable<Polygon> polygons)
    {
        Polygons = polygons.ToList();
        foreach (var p in Polygons)
            if (p.Points.Length < 3) throw new PodiumException($"polygon{(p.Tag is null ? "" : $" '{p.Tag}'")} has {p.Points.Length} points; at least 3 are needed");
        return this;
    }

    public AugmentTarget WithKeypoints(IEnumerable<Point2d> points) { Keypoints = points.ToList(); return this; }
    public AugmentTarget WithBoxes(IEnumerable<Box> boxes) { Boxes = boxes.ToList(); return this; }

    public void Replace(Mat image)
    {
        if (ReferenceEquals(image, Image)) return;
        Image.Dispose();
        Image = image;
    }

    public void ReplaceMask(Mat? mask)
    {
        if (ReferenceEquals(mask, Mask)) return;
        Mask?.Dispose();
        Mask = mask;
    }

    /// <summary>
    /// Moves every point target with <paramref name="map"/> (continuous coordinates) after the
    /// image has been replaced by its transformed self, then clips to the new image and drops by
    /// <see cref="Rules"/>. Boxes become the bounding box of their mapped corners.
    /// </summary>
    public void MapPoints(Func<Point2d, Point2d> map)
    {
        if (Polygons.Count == 0 && Keypoints.Count == 0 && Boxes.Count == 0) return; // the classification case: nothing to move
        double w = Width, h = Height;
        var polygons = new List<Polygon>(Polygons.Count);
        foreach (var p in Polygons)
        {
            var moved = p.Points.Select(map).ToArray();
            double before = Geometry.Area(moved);
            var clipped = Geometry.ClipToRect(moved, w, h);
            double after = Geometry.Area(clipped);
            if (clipped.Length >= 3 && Keep(after, before)) polygons.Add(p with { Points = clipped });
        }
        Polygons = polygons;

        Keypoints = Keypoints.Select(map).Where(k => k.X >= 0 && k.Y >= 0 && k.X < w && k.Y < h).ToList();

        var boxes = new List<Box>(Boxes.Count);
        foreach (var b in Boxes)
        {
            var corners = new[] { map(new(b.X1, b.Y1)), map(new(b.X2, b.Y1)), map(new(b.X2, b.Y2)), map(new(b.X1, b.Y2)) };
            var moved = new Box(corners.Min(c => c.X), corners.Min(c => c.Y), corners.Max(c => c.X), corners.Max(c => c.Y), b.Label);
            var clipped = new Box(Math.Clamp(moved.X1, 0, w), Math.Clamp(moved.Y1, 0, h), Math.Clamp(moved.X2, 0, w), Math.Clamp(moved.Y2, 0, h), b.Label);
            if (Keep(clipped.Area, moved.Area)) boxes.Add(clipped);
        }
        Boxes = boxes;
    }

    private bool Keep(double area, double before) =>
        area > 0 && area >= Rules.MinArea && (before <= 0 || area / before >= Rules.MinVisibility);

    public void Dispose()
    {
        Image.Dispose();
        Mask?.Dispose();
    }
}

public static class Geometry
{
    /// <summary>Shoelace area (absolute).</summary>
    public static double Area(IReadOnlyList<Point2d> p)
    {
        double twice = 0;
        for (int i = 0; i < p.Count; i++)
        {
            var a = p[i];
            var b = p[(i + 1) % p.Count];
            twice += a.X * b.Y - b.X * a.Y;
        }
        return Math.Abs(twice) / 2;
    }

    /// <summary>Sutherland–Hodgman clipping of a polygon to [0, w] x [0, h].</summary>
    public static Point2d[] ClipToRect(Point2d[] polygon, double w, double h)
    {
        var result = polygon.ToList();
        result = Clip(result, p => p.X >= 0, (a, b) => Cross(a, b, (b.X - a.X) == 0 ? 0 : (0 - a.X) / (b.X - a.X)));
        result = Clip(result, p => p.X <= w, (a, b) => Cross(a, b, (b.X - a.X) == 0 ? 0 : (w - a.X) / (b.X - a.X)));
        result = Clip(result, p => p.Y >= 0, (a, b) => Cross(a, b, (b.Y - a.Y) == 0 ? 0 : (0 - a.Y) / (b.Y - a.Y)));
        result = Clip(result, p => p.Y <= h, (a, b) => Cross(a, b, (b.Y - a.Y) == 0 ? 0 : (h - a.Y) / (b.Y - a.Y)));
        return [.. result];

        static Point2d Cross(Point2d a, Point2d b, double t) => new(a.X + (b.X - a.X) * t, a.Y + (b.Y - a.Y) * t);

        static List<Point2d> Clip(List<Point2d> input, Func<Point2d, bool> inside, Func<Point2d, Point2d, Point2d> intersect)
        {
            var output = new List<Point2d>(input.Count + 4);
            for (int i = 0; i < input.Count; i++)
            {
                var current = input[i];
                var previous = input[(i + input.Count - 1) % input.Count];
                bool cin = inside(current), pin = inside(previous);
                if (cin)
                {
                    if (!pin) output.Add(intersect(previous, current));
                    output.Add(current);
                }
                else if (pin) output.Add(intersect(previous, current));
            }
            return output;
        }
    }

    /// <summary>Applies a 3x3 homography (row-major) to a point.</summary>
    public static Point2d Apply(double[] m, Point2d p)
    {
        double x = m[0] * p.X + m[1] * p.Y + m[2], y = m[3] * p.X + m[4] * p.Y + m[5], z = m[6] * p.X + m[7] * p.Y + m[8];
        return new Point2d(x / z, y / z);
    }
}
