using OpenCvSharp;

namespace Podium.Augment;

/// <summary>
/// Everything a transform works on, changed together with the same random parameters: the image,
/// an optional mask, polygons, keypoints and boxes. Points are in continuous pixel coordinates:
/// pixel (row i, column j) covers [j, j+1) x [i, i+1), so an image spans [0, W] x [0, H].
/// </summary>
public sealed class AugmentTarget(Mat image) : IDisposable
{
    /// <summary>8-bit, 1 or 3 channels (RGB), HxW. The target owns it: a transform may change it in place, or replace it (the old one is
    /// disposed).</summary>
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
            if (p.Points.Length < 3) throw new PodiumException($"polygon{(p.Tag is null ? "" : $" '{p.Tag}'")} has {p.Points.Length} " +
                $"points; at least 3 are needed");
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
            var clipped = new Box(Math.Clamp(moved.X1, 0, w), Math.Clamp(moved.Y1, 0, h), Math.Clamp(moved.X2, 0, w), Math.Clamp(moved.Y2,
                0, h), b.Label);
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
