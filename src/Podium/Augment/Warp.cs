using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Pixel and point moves shared by the geometric transforms.</summary>
public static class Warp
{
    /// <summary>
    /// Warps image (bilinear) and mask (nearest) with a 3x3 matrix <paramref name="m"/> given in
    /// continuous coordinates, to an output of <paramref name="width"/> x <paramref name="height"/>,
    /// and moves every point target with the same matrix.
    /// </summary>
    public static void Apply(AugmentTarget t, double[] m, int width, int height, BorderTypes border = BorderTypes.Constant,
        Scalar? fill = null)
    {
        // OpenCV places pixel centres at integers: p_cv = p - 0.5, so M_cv = T(-0.5) · M · T(+0.5).
        var cv = Multiply(Multiply(Translation(-0.5, -0.5), m), Translation(0.5, 0.5));
        bool affine = Math.Abs(m[6]) < 1e-12 && Math.Abs(m[7]) < 1e-12 && Math.Abs(m[8] - 1) < 1e-12;
        var size = new Size(width, height);
        Mat WarpOne(Mat src, InterpolationFlags interpolation, Scalar value)
        {
            if (interpolation == InterpolationFlags.Linear && BilinearWarp.Supports(src, border))
                return BilinearWarp.Apply(src, Invert(cv), width, height, border, value);
            var dst = new Mat();
            if (affine)
            {
                using var a = Mat.FromPixelData(2, 3, MatType.CV_64FC1, cv[..6]);
                Cv2.WarpAffine(src, dst, a, size, interpolation, border, value);
            }
            else
            {
                using var p = Mat.FromPixelData(3, 3, MatType.CV_64FC1, cv);
                Cv2.WarpPerspective(src, dst, p, size, interpolation, border, value);
            }
            return dst;
        }
        t.Replace(WarpOne(t.Image, InterpolationFlags.Linear, fill ?? Scalar.All(0)));
        if (t.Mask is not null) t.ReplaceMask(WarpOne(t.Mask, InterpolationFlags.Nearest, Scalar.All(0)));
        t.MapPoints(p => Geometry.Apply(m, p));
    }

    /// <summary>Resizes image (area when shrinking, bilinear when enlarging) and mask (nearest), and scales points.</summary>
    public static void Resize(AugmentTarget t, int width, int height)
    {
        if (t.Width == width && t.Height == height) return;
        double sx = (double)width / t.Width, sy = (double)height / t.Height;
        t.Replace(Augment.Resize.ResizeTo(t.Image, width, height));
        if (t.Mask is not null) t.ReplaceMask(NearestExact(t.Mask, width, height));
        t.MapPoints(p => new Point2d(p.X * sx, p.Y * sy));
    }

    /// <summary>Crops every target to <paramref name="r"/> and resizes it to <paramref name="width"/> x <paramref name="height"/>, reading
    /// the crop in place (no intermediate copy).</summary>
    public static void CropResize(AugmentTarget t, Rect r, int width, int height)
    {
        double sx = (double)width / r.Width, sy = (double)height / r.Height;
        static Mat Part(Mat m, Rect r, Func<Mat, Mat> resize)
        {
            using var roi = new Mat(m, r);
            var resized = resize(roi);
            return ReferenceEquals(resized, roi) ? roi.Clone() : resized;
        }
        t.Replace(Part(t.Image, r, roi => Augment.Resize.ResizeTo(roi, width, height)));
        if (t.Mask is not null) t.ReplaceMask(Part(t.Mask, r, roi => NearestExact(roi, width, height)));
        t.MapPoints(p => new Point2d((p.X - r.X) * sx, (p.Y - r.Y) * sy));
    }

    /// <summary>A mask resized by nearest neighbour sampled at pixel centres.</summary>
    private static Mat NearestExact(Mat mask, int width, int height)
    {
        var m = new Mat();
        // NEAREST_EXACT samples at pixel centres; plain NEAREST is shifted by half a source pixel.
        Cv2.Resize(mask, m, new Size(width, height), 0, 0, (InterpolationFlags)6); // cv::INTER_NEAREST_EXACT, not in OpenCvSharp's enum
        return m;
    }

    /// <summary>Crops every target to <paramref name="r"/> (inside the image).</summary>
    public static void Crop(AugmentTarget t, Rect r)
    {
        if (r.X == 0 && r.Y == 0 && r.Width == t.Width && r.Height == t.Height) return;
        using (var roi = new Mat(t.Image, r)) t.Replace(roi.Clone());
        if (t.Mask is not null) using (var roi = new Mat(t.Mask, r)) t.ReplaceMask(roi.Clone());
        t.MapPoints(p => new Point2d(p.X - r.X, p.Y - r.Y));
    }

    /// <summary>An exact pixel operation (flip, 90° rotation, transpose) applied to image and mask, with its point map.</summary>
    public static void Exact(AugmentTarget t, Action<Mat, Mat> op, Func<Point2d, double, double, Point2d> map) =>
        Exact(t, src => { var dst = new Mat(); op(src, dst); return dst; }, map);

    public static void Exact(AugmentTarget t, Func<Mat, Mat> op, Func<Point2d, double, double, Point2d> map)
    {
        double w = t.Width, h = t.Height;
        t.Replace(op(t.Image));
        if (t.Mask is not null) t.ReplaceMask(op(t.Mask));
        t.MapPoints(p => map(p, w, h));
    }

    public static double[] Translation(double dx, double dy) => [1, 0, dx, 0, 1, dy, 0, 0, 1];

    /// <summary>The inverse of a 3x3 matrix (adjugate over determinant); an affine one stays exactly affine.</summary>
    public static double[] Invert(double[] m)
    {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
        double det = a * A + b * B + c * C;
        if (Math.Abs(det) < 1e-300) throw new PodiumException("warp: the transform matrix is singular");
        double[] r = [A, -(b * i - c * h), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d];
        for (int k = 0; k < 9; k++) r[k] /= det;
        if (g == 0 && h == 0) { r[6] = 0; r[7] = 0; r[8] = 1; }
        return r;
    }

    public static double[] Multiply(double[] a, double[] b)
    {
        var r = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                r[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
        return r;
    }

    /// <summary>Rotation by <paramref name="degrees"/> (counter-clockwise on screen, as cv2.getRotationMatrix2D) with scale and shear,
    /// about (cx, cy), then a shift.</summary>
    public static double[] Affine(double cx, double cy, double degrees, double scale, double shearXDegrees = 0, double shearYDegrees = 0,
        double dx = 0, double dy = 0)
    {
        double a = degrees * Math.PI / 180, c = Math.Cos(a), s = Math.Sin(a);
        double[] rotate = [c, s, 0, -s, c, 0, 0, 0, 1];
        double[] shear = [1, Math.Tan(shearXDegrees * Math.PI / 180), 0, Math.Tan(shearYDegrees * Math.PI / 180), 1, 0, 0, 0, 1];
        double[] zoom = [scale, 0, 0, 0, scale, 0, 0, 0, 1];
        return Multiply(Translation(cx + dx, cy + dy), Multiply(rotate, Multiply(shear, Multiply(zoom, Translation(-cx, -cy)))));
    }
}
