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
    public static void Apply(AugmentTarget t, double[] m, int width, int height, BorderTypes border = BorderTypes.Constant, Scalar? fill = null)
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

    /// <summary>Crops every target to <paramref name="r"/> and resizes it to <paramref name="width"/> x <paramref name="height"/>, reading the crop in place (no intermediate copy).</summary>
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

    /// <summary>Rotation by <paramref name="degrees"/> (counter-clockwise on screen, as cv2.getRotationMatrix2D) with scale and shear, about (cx, cy), then a shift.</summary>
    public static double[] Affine(double cx, double cy, double degrees, double scale, double shearXDegrees = 0, double shearYDegrees = 0, double dx = 0, double dy = 0)
    {
        double a = degrees * Math.PI / 180, c = Math.Cos(a), s = Math.Sin(a);
        double[] rotate = [c, s, 0, -s, c, 0, 0, 0, 1];
        double[] shear = [1, Math.Tan(shearXDegrees * Math.PI / 180), 0, Math.Tan(shearYDegrees * Math.PI / 180), 1, 0, 0, 0, 1];
        double[] zoom = [scale, 0, 0, 0, scale, 0, 0, 0, 1];
        return Multiply(Translation(cx + dx, cy + dy), Multiply(rotate, Multiply(shear, Multiply(zoom, Translation(-cx, -cy)))));
    }
}

/// <summary>Resizes to a fixed size, ignoring aspect ratio (validation: the whole image, no crop).</summary>
public sealed class Resize(int height, int width) : ITransform
{
    public int Height { get; } = height > 0 ? height : throw new ConfigException($"size must be positive, got {height}");
    public int Width { get; } = width > 0 ? width : throw new ConfigException($"size must be positive, got {width}");

    public void Apply(AugmentTarget target, Random rng) => Warp.Resize(target, Width, Height);

    /// <summary>Area interpolation when shrinking (no aliasing), bilinear when enlarging.</summary>
    public static Mat ResizeTo(Mat src, int width, int height)
    {
        if (src.Width == width && src.Height == height) return src;
        var shrink = width < src.Width && height < src.Height;
        if (shrink && AreaResize.Supports(src, width, height)) return AreaResize.Apply(src, width, height);
        var dst = new Mat();
        Cv2.Resize(src, dst, new Size(width, height), 0, 0, shrink ? InterpolationFlags.Area : InterpolationFlags.Linear);
        return dst;
    }
}

/// <summary>Scales so the longest side is <c>max_size</c>, keeping the aspect ratio.</summary>
public sealed class LongestMaxSize(int maxSize, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        double s = (double)maxSize / Math.Max(t.Width, t.Height);
        Warp.Resize(t, Math.Max(1, (int)Math.Round(t.Width * s)), Math.Max(1, (int)Math.Round(t.Height * s)));
    }
}

/// <summary>Scales so the shortest side is <c>max_size</c>, keeping the aspect ratio.</summary>
public sealed class SmallestMaxSize(int maxSize, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        double s = (double)maxSize / Math.Min(t.Width, t.Height);
        Warp.Resize(t, Math.Max(1, (int)Math.Round(t.Width * s)), Math.Max(1, (int)Math.Round(t.Height * s)));
    }
}

/// <summary>
/// torchvision's RandomResizedCrop: a crop of random area (a fraction in <c>scale</c> of the image)
/// and aspect ratio (log-uniform in <c>ratio</c>), resized to the output size; after 10 misses, a
/// centre crop at the nearest allowed ratio.
/// </summary>
public sealed class RandomResizedCrop(int height, int width, double scaleMin = 0.08, double scaleMax = 1.0,
    double ratioMin = 3.0 / 4, double ratioMax = 4.0 / 3, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget target, Random rng)
    {
        Warp.CropResize(target, SampleCrop(target.Width, target.Height, rng), width, height);
    }

    public Rect SampleCrop(int w, int h, Random rng)
    {
        double area = (double)w * h;
        double logLo = Math.Log(ratioMin), logHi = Math.Log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double targetArea = area * (scaleMin + rng.NextDouble() * (scaleMax - scaleMin));
            double aspect = Math.Exp(logLo + rng.NextDouble() * (logHi - logLo));
            int cw = (int)Math.Round(Math.Sqrt(targetArea * aspect));
            int ch = (int)Math.Round(Math.Sqrt(targetArea / aspect));
            if (cw > 0 && ch > 0 && cw <= w && ch <= h)
                return new Rect(rng.Next(w - cw + 1), rng.Next(h - ch + 1), cw, ch);
        }
        double inRatio = (double)w / h;
        int fw = w, fh = h;
        if (inRatio < ratioMin) fh = (int)Math.Round(w / ratioMin);
        else if (inRatio > ratioMax) fw = (int)Math.Round(h * ratioMax);
        return new Rect((w - fw) / 2, (h - fh) / 2, fw, fh);
    }
}

/// <summary>A random crop of a fixed size; the image must be at least that large (pad_if_needed first).</summary>
public sealed class RandomCrop(int height, int width, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        CheckFits(t, height, width, "random_crop");
        Warp.Crop(t, new Rect(rng.Next(t.Width - width + 1), rng.Next(t.Height - height + 1), width, height));
    }

    internal static void CheckFits(AugmentTarget t, int height, int width, string name)
    {
        if (height > t.Height || width > t.Width)
            throw new PodiumException($"{name}: crop {width}x{height} is larger than the image {t.Width}x{t.Height}; put pad_if_needed before it");
    }
}

/// <summary>The centre crop of a fixed size.</summary>
public sealed class CenterCrop(int height, int width, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        RandomCrop.CheckFits(t, height, width, "center_crop");
        Warp.Crop(t, new Rect((t.Width - width) / 2, (t.Height - height) / 2, width, height));
    }
}

/// <summary>A fixed region [x_min, x_max) x [y_min, y_max) in pixels (albumentations' Crop): five-crop TTA views, known regions of interest.</summary>
public sealed class Crop(int xMin, int yMin, int xMax, int yMax, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        if (xMax > t.Width || yMax > t.Height)
            throw new PodiumException($"crop: region to ({xMax}, {yMax}) is outside the image {t.Width}x{t.Height}");
        Warp.Crop(t, new Rect(xMin, yMin, xMax - xMin, yMax - yMin));
    }
}

/// <summary>Pads (centred) to at least min_height x min_width; points move with the image.</summary>
public sealed class PadIfNeeded(int minHeight, int minWidth, BorderTypes border = BorderTypes.Constant, double value = 0, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        int padH = Math.Max(0, minHeight - t.Height), padW = Math.Max(0, minWidth - t.Width);
        if (padH == 0 && padW == 0) return;
        int top = padH / 2, left = padW / 2;
        Mat Pad(Mat src, Scalar fill)
        {
            var dst = new Mat();
            Cv2.CopyMakeBorder(src, dst, top, padH - top, left, padW - left, border, fill);
            return dst;
        }
        t.Replace(Pad(t.Image, Scalar.All(value)));
        if (t.Mask is not null) t.ReplaceMask(Pad(t.Mask, Scalar.All(0)));
        t.MapPoints(q => new Point2d(q.X + left, q.Y + top));
    }
}

/// <summary>Mirrors left-right with probability <c>p</c>.</summary>
public sealed class HorizontalFlip(double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) =>
        Warp.Exact(t, (s, d) => Cv2.Flip(s, d, FlipMode.Y), (q, w, h) => new Point2d(w - q.X, q.Y));
}

/// <summary>Mirrors top-bottom with probability <c>p</c>.</summary>
public sealed class VerticalFlip(double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) =>
        Warp.Exact(t, m => { Pixels.FlipRowsInPlace(m); return m; }, (q, w, h) => new Point2d(q.X, h - q.Y));
}

/// <summary>Swaps rows and columns (the main-diagonal mirror).</summary>
public sealed class Transpose(double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) =>
        Warp.Exact(t, (s, d) => Cv2.Transpose(s, d), (q, w, h) => new Point2d(q.Y, q.X));
}

/// <summary>Rotates by k x 90° counter-clockwise, k uniform in 0..3 (as np.rot90).</summary>
public sealed class RandomRotate90(double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) => Rotate(t, rng.Next(4));

    public static void Rotate(AugmentTarget t, int k)
    {
        switch (k & 3)
        {
            case 1: Warp.Exact(t, (s, d) => Cv2.Rotate(s, d, RotateFlags.Rotate90Counterclockwise), (q, w, h) => new Point2d(q.Y, w - q.X)); break;
            case 2: Warp.Exact(t, (s, d) => Cv2.Rotate(s, d, RotateFlags.Rotate180), (q, w, h) => new Point2d(w - q.X, h - q.Y)); break;
            case 3: Warp.Exact(t, (s, d) => Cv2.Rotate(s, d, RotateFlags.Rotate90Clockwise), (q, w, h) => new Point2d(h - q.Y, q.X)); break;
        }
    }
}

/// <summary>Rotates by an angle uniform in [-limit, limit] degrees about the centre, keeping the size.</summary>
public sealed class Rotate(double limit = 90, BorderTypes border = BorderTypes.Constant, double value = 0, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        double angle = Sampling.Uniform(rng, -limit, limit);
        Warp.Apply(t, Warp.Affine(t.Width / 2.0, t.Height / 2.0, angle, 1), t.Width, t.Height, border, Scalar.All(value));
    }
}

/// <summary>
/// Scale, translation (a fraction of the size), rotation and shear, each uniform in its range,
/// about the centre (albumentations' Affine; ShiftScaleRotate is its shear-free special case).
/// </summary>
public sealed class Affine(double[] scale, double[] translate, double[] rotate, double[] shear,
    BorderTypes border = BorderTypes.Constant, double value = 0, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        double s = Sampling.Uniform(rng, scale[0], scale[1]);
        double dx = Sampling.Uniform(rng, translate[0], translate[1]) * t.Width, dy = Sampling.Uniform(rng, translate[0], translate[1]) * t.Height;
        double angle = Sampling.Uniform(rng, rotate[0], rotate[1]);
        double shx = Sampling.Uniform(rng, shear[0], shear[1]), shy = Sampling.Uniform(rng, shear[0], shear[1]);
        Warp.Apply(t, Warp.Affine(t.Width / 2.0, t.Height / 2.0, angle, s, shx, shy, dx, dy), t.Width, t.Height, border, Scalar.All(value));
    }
}

/// <summary>
/// A random perspective: each corner moves inwards by |N(0, scale)| of the size, and that
/// quadrilateral is warped onto the whole output (so no border appears).
/// </summary>
public sealed class Perspective(double scaleMin = 0.05, double scaleMax = 0.1, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        double sigma = Sampling.Uniform(rng, scaleMin, scaleMax);
        double Jitter() => Math.Min(0.45, Math.Abs(Sampling.Gaussian(rng) * sigma));
        double w = t.Width, h = t.Height;
        var src = new[]
        {
            new Point2f((float)(Jitter() * w), (float)(Jitter() * h)),
            new Point2f((float)(w - Jitter() * w), (float)(Jitter() * h)),
            new Point2f((float)(w - Jitter() * w), (float)(h - Jitter() * h)),
            new Point2f((float)(Jitter() * w), (float)(h - Jitter() * h)),
        };
        var dst = new[] { new Point2f(0, 0), new Point2f((float)w, 0), new Point2f((float)w, (float)h), new Point2f(0, (float)h) };
        using var m = Cv2.GetPerspectiveTransform(src, dst);
        var matrix = new double[9];
        for (int i = 0; i < 9; i++) matrix[i] = m.At<double>(i / 3, i % 3);
        Warp.Apply(t, matrix, t.Width, t.Height, BorderTypes.Replicate);
    }
}

/// <summary>
/// DBNet's RandomCropData: a random window that cuts no text region (found by projecting the polygons on both axes
/// and drawing the window's edges from the gaps between them, up to <c>tries</c> times; the whole image otherwise),
/// at least <c>min_crop_side_ratio</c> of each side, scaled to fit <c>size</c>×<c>size</c> with its aspect kept and
/// padded at the bottom and right. Don't-care regions may be cut; regions left outside are dropped.
/// </summary>
public sealed class TextSafeCrop(int size, double minSideRatio = 0.1, int tries = 10, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        int w = t.Width, h = t.Height;
        var cared = t.Polygons.Where(q => q.Tag != Ocr.IcdarText.DontCare).ToList();
        var freeX = Free(w, cared.Select(q => (q.Points.Min(v => v.X), q.Points.Max(v => v.X))));
        var freeY = Free(h, cared.Select(q => (q.Points.Min(v => v.Y), q.Points.Max(v => v.Y))));
        var window = new Rect(0, 0, w, h);
        if (freeX.Count > 0 && freeY.Count > 0)
            for (int k = 0; k < tries; k++)
            {
                var (x1, x2) = Edges(freeX, rng);
                var (y1, y2) = Edges(freeY, rng);
                if (x2 - x1 < minSideRatio * w || y2 - y1 < minSideRatio * h) continue;
                // A window with no text at all teaches nothing; keep looking.
                if (cared.Count > 0 && !cared.Any(q => q.Points.All(v => v.X >= x1 && v.X <= x2 && v.Y >= y1 && v.Y <= y2))) continue;
                window = new Rect(x1, y1, x2 - x1, y2 - y1);
                break;
            }
        double scale = Math.Min(size / (double)window.Width, size / (double)window.Height);
        int cw = Math.Max(1, (int)Math.Round(window.Width * scale)), ch = Math.Max(1, (int)Math.Round(window.Height * scale));
        Warp.CropResize(t, window, cw, ch);
        Mat Pad(Mat src) { var dst = new Mat(); Cv2.CopyMakeBorder(src, dst, 0, size - ch, 0, size - cw, BorderTypes.Constant, Scalar.All(0)); return dst; }
        if (ch < size || cw < size)
        {
            t.Replace(Pad(t.Image));
            if (t.Mask is not null) t.ReplaceMask(Pad(t.Mask));
        }
    }

    /// <summary>Pixel columns (or rows) 0..n−1 that no text region covers.</summary>
    private static List<int> Free(int n, IEnumerable<(double Lo, double Hi)> spans)
    {
        var covered = new bool[n];
        foreach (var (lo, hi) in spans)
            for (int i = Math.Max(0, (int)Math.Floor(lo)); i <= Math.Min(n - 1, (int)Math.Ceiling(hi)); i++) covered[i] = true;
        return Enumerable.Range(0, n).Where(i => !covered[i]).ToList();
    }

    /// <summary>Two edges drawn from the free positions (the official code draws from the free runs; any two free pixels cut no text).</summary>
    private static (int Lo, int Hi) Edges(List<int> free, Random rng)
    {
        int a = free[rng.Next(free.Count)], b = free[rng.Next(free.Count)];
        return (Math.Min(a, b), Math.Max(a, b) + 1);
    }
}
