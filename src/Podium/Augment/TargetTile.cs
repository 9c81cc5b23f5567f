using OpenCvSharp;

namespace Podium.Augment;

/// <summary>A transformed sample drawn small, with its boxes and polygons, for sample grids and galleries.</summary>
public static class TargetTile
{
    /// <summary>The target as a BGR tile of <paramref name="size"/> (letterboxed), with its geometry drawn.</summary>
    public static Mat Draw(AugmentTarget t, int size)
    {
        using var bgr = new Mat();
        Cv2.CvtColor(t.Image, bgr, t.Image.Channels() == 1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.RGB2BGR);
        if (t.Mask is not null)
        {
            using var on = new Mat();
            Cv2.Compare(t.Mask, Scalar.All(0), on, CmpTypes.GT);
            using var tint = new Mat(bgr.Size(), bgr.Type(), new Scalar(0, 0, 255));
            using var blended = new Mat();
            Cv2.AddWeighted(bgr, 0.6, tint, 0.4, 0, blended);
            blended.CopyTo(bgr, on);
        }
        double s = (double)size / Math.Max(t.Width, t.Height);
        var tile = new Mat(size, size, MatType.CV_8UC3, Scalar.All(230));
        using (var scaled = new Mat())
        {
            Cv2.Resize(bgr, scaled, new Size(Math.Max(1, (int)(t.Width * s)), Math.Max(1, (int)(t.Height * s))), 0, 0,
                InterpolationFlags.Linear);
            using var roi = new Mat(tile, new Rect(0, 0, scaled.Width, scaled.Height));
            scaled.CopyTo(roi);
        }
        Point P(Point2d q) => new((int)Math.Round(q.X * s), (int)Math.Round(q.Y * s));
        foreach (var p in t.Polygons) Cv2.Polylines(tile, [p.Points.Select(P).ToArray()], true, new Scalar(0, 200, 0), 1,
            LineTypes.AntiAlias);
        foreach (var b in t.Boxes) Cv2.Rectangle(tile, P(new(b.X1, b.Y1)), P(new(b.X2, b.Y2)), new Scalar(255, 120, 0), 1);
        foreach (var k in t.Keypoints) Cv2.Circle(tile, P(k), 2, new Scalar(0, 255, 255), -1);
        return tile;
    }
}
