using OpenCvSharp;

namespace Podium.Augment;

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
