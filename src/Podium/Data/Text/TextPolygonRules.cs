using NetTopologySuite.Geometries;
using OpenCvSharp;
using Polygon = Podium.Augment.Polygon;

namespace Podium.Data;

/// <summary>
/// The rules every text region obeys, whichever file it came from: coordinates are finite numbers (an infinite one would become a
/// training target the size of the plane), there are at least 3 points, and the edges do not cross. A quad whose points are
/// listed out of order (a "bowtie": the usual mistake) is put back in order around its centre; any other crossing polygon is
/// left out, since no order of its points is the one meant.
/// </summary>
public static class TextPolygonRules
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>The region as it is to be used and null, or a changed region and what was changed, or null and why it is left
    /// out.</summary>
    public static (Polygon? Region, string? Note) Apply(Polygon region)
    {
        var p = region.Points;
        for (int k = 0; k < p.Length; k++)
            if (!double.IsFinite(p[k].X) || !double.IsFinite(p[k].Y))
                return (null, $"point {k + 1} is not a finite number pair ({Number(p[k].X)},{Number(p[k].Y)}): left out");
        if (p.Length < 3) return (null, $"a polygon with {p.Length} points (at least 3): left out");
        var ring = Factory.CreateLinearRing([.. p.Select(q => new Coordinate(q.X, q.Y)), new Coordinate(p[0].X, p[0].Y)]);
        // Degenerate regions (every point on a line) are the targets' concern, as before; only crossing edges are ruled on here.
        if (ring.IsSimple || ring.ConvexHull().Area <= 0) return (region, null);
        if (p.Length == 4 && Factory.CreateMultiPointFromCoords(ring.Coordinates[..4]).ConvexHull() is NetTopologySuite.Geometries.Polygon
            { ExteriorRing.NumPoints: 5 })
            return (region with { Points = Clockwise(p) }, "a quad whose edges cross (points out of order): put in clockwise order");
        return (null, $"a polygon whose edges cross ({p.Length} points): left out");
    }

    /// <summary>The points of a convex quad in clockwise order on the image (y down), starting from the first one given.</summary>
    private static Point2d[] Clockwise(Point2d[] p)
    {
        double cx = p.Average(q => q.X), cy = p.Average(q => q.Y);
        var sorted = p.OrderBy(q => Math.Atan2(q.Y - cy, q.X - cx)).ToArray();
        int first = Array.IndexOf(sorted, p[0]);
        return [.. sorted[first..], .. sorted[..first]];
    }

    private static string Number(double v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
