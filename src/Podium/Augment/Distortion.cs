using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using OpenCvSharp;

namespace Podium.Augment;

/// <summary>albumentations' RandomSizedCrop: a crop of height uniform in [min, max] and width height·w2h_ratio, resized.</summary>
public sealed class RandomSizedCrop(int minHeight, int maxHeight, int height, int width, double w2hRatio = 1, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        int ch = Math.Min(t.Height, rng.Next(minHeight, maxHeight + 1));
        int cw = Math.Min(t.Width, Math.Max(1, (int)Math.Round(ch * w2hRatio)));
        Warp.CropResize(t, new Rect(rng.Next(t.Width - cw + 1), rng.Next(t.Height - ch + 1), cw, ch), width, height);
    }
}

/// <summary>A crop of a fixed size that contains mask pixels when the mask has any (else a random crop).</summary>
public sealed class CropNonEmptyMaskIfExists(int height, int width, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        RandomCrop.CheckFits(t, height, width, "crop_non_empty_mask_if_exists");
        int x0 = rng.Next(t.Width - width + 1), y0 = rng.Next(t.Height - height + 1);
        if (t.Mask is not null)
        {
            using var on = new Mat();
            using (var single = t.Mask.Channels() == 1 ? t.Mask.Clone() : t.Mask.CvtColor(ColorConversionCodes.BGR2GRAY)) Cv2.FindNonZero(single, on);
            if (on.Rows > 0)
            {
                var pick = on.At<Point>(rng.Next(on.Rows));
                x0 = Math.Clamp(pick.X - rng.Next(width), 0, t.Width - width);
                y0 = Math.Clamp(pick.Y - rng.Next(height), 0, t.Height - height);
            }
        }
        Warp.Crop(t, new Rect(x0, y0, width, height));
    }
}

/// <summary>Remapping of every target by a dense map (dst pixel → src position) and its point inverse.</summary>
internal static class Remap
{
    public static void Apply(AugmentTarget t, Mat mapX, Mat mapY, Func<Point2d, Point2d> forward, BorderTypes border)
    {
        t.Replace(One(t.Image, mapX, mapY, InterpolationFlags.Linear, border));
        if (t.Mask is not null) t.ReplaceMask(One(t.Mask, mapX, mapY, InterpolationFlags.Nearest, border));
        t.MapPoints(forward);
    }

    public static Mat One(Mat src, Mat mapX, Mat mapY, InterpolationFlags interpolation, BorderTypes border)
    {
        var dst = new Mat();
        Cv2.Remap(src, dst, mapX, mapY, interpolation, border);
        return dst;
    }

    /// <summary>Bilinear sample of a CV_32FC1 map at continuous position (x, y) in OpenCV's centre-at-integer coordinates.</summary>
    public static double Sample(Mat map, double x, double y)
    {
        x = Math.Clamp(x, 0, map.Width - 1);
        y = Math.Clamp(y, 0, map.Height - 1);
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y), x1 = Math.Min(x0 + 1, map.Width - 1), y1 = Math.Min(y0 + 1, map.Height - 1);
        double fx = x - x0, fy = y - y0;
        return (1 - fy) * ((1 - fx) * map.At<float>(y0, x0) + fx * map.At<float>(y0, x1)) + fy * ((1 - fx) * map.At<float>(y1, x0) + fx * map.At<float>(y1, x1));
    }
}

/// <summary>
/// albumentations' GridDistortion: the image is cut into num_steps cells per axis whose sizes are
/// scaled by 1 + U(−limit, limit). The map is separable and piecewise linear, so points move by its
/// exact inverse.
/// </summary>
public sealed class GridDistortion(int steps = 5, double limit = 0.3, BorderTypes border = BorderTypes.Reflect101, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        var (dstX, srcX) = Nodes(t.Width, rng);
        var (dstY, srcY) = Nodes(t.Height, rng);
        var rowX = Enumerable.Range(0, t.Width).Select(x => (float)(Interpolate(dstX, srcX, x + 0.5) - 0.5)).ToArray();
        var colY = Enumerable.Range(0, t.Height).Select(y => (float)(Interpolate(dstY, srcY, y + 0.5) - 0.5)).ToArray();
        Point2d Forward(Point2d q) => new(Interpolate(srcX, dstX, q.X), Interpolate(srcY, dstY, q.Y));
        // The map is separable (x from x, y from y), so bilinear sampling is a linear resampling of the
        // rows, then of the columns: no dense maps, 2–3x faster than cv::remap. Masks (nearest) use cv::remap.
        bool separable = Avx2.IsSupported && t.Image.Depth() == MatType.CV_8U && border != BorderTypes.Constant;
        if (separable) t.Replace(Resample.Separable(t.Image, Resample.Linear(rowX, t.Width, border), Resample.Linear(colY, t.Height, border)));
        if (!separable || t.Mask is not null)
        {
            using var mapX = new Mat(t.Height, t.Width, MatType.CV_32FC1);
            using var mapY = new Mat(t.Height, t.Width, MatType.CV_32FC1);
            Pixels.RowBytes xs = new(mapX), ys = new(mapY);
            for (int y = 0; y < xs.Rows; y++)
            {
                rowX.CopyTo(MemoryMarshal.Cast<byte, float>(xs[y]));
                MemoryMarshal.Cast<byte, float>(ys[y]).Fill(colY[y]);
            }
            if (!separable) t.Replace(Remap.One(t.Image, mapX, mapY, InterpolationFlags.Linear, border));
            if (t.Mask is not null) t.ReplaceMask(Remap.One(t.Mask, mapX, mapY, InterpolationFlags.Nearest, border));
        }
        t.MapPoints(Forward);
    }

    /// <summary>Node positions in the output (uniform) and in the source (distorted, rescaled to the same length), continuous coordinates.</summary>
    private (double[] Dst, double[] Src) Nodes(int size, Random rng)
    {
        var dst = Enumerable.Range(0, steps + 1).Select(k => (double)size * k / steps).ToArray();
        var widths = Enumerable.Range(0, steps).Select(_ => 1 + Sampling.Uniform(rng, -limit, limit)).ToArray();
        double total = widths.Sum();
        var src = new double[steps + 1];
        for (int k = 0; k < steps; k++) src[k + 1] = src[k] + widths[k] / total * size;
        return (dst, src);
    }

    /// <summary>Piecewise-linear interpolation of ys over increasing xs, extrapolating the end segments.</summary>
    private static double Interpolate(double[] xs, double[] ys, double x)
    {
        int k = 0;
        while (k < xs.Length - 2 && x > xs[k + 1]) k++;
        return ys[k] + (ys[k + 1] - ys[k]) * (x - xs[k]) / (xs[k + 1] - xs[k]);
    }
}

/// <summary>
/// Elastic deformation (Simard et al. 2003): random displacements smoothed by a Gaussian of σ and
/// scaled by α. Points move by the inverse of the map, found by fixed-point iteration (the field is smooth).
/// </summary>
public sealed class ElasticTransform(double alpha = 1, double sigma = 50, BorderTypes border = BorderTypes.Reflect101, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        Mat Field()
        {
            var f = new Mat(t.Height, t.Width, MatType.CV_32FC1);
            new RNG((ulong)rng.NextInt64()).Fill(f, DistributionType.Uniform, Scalar.All(-1), Scalar.All(1));
            int k = Math.Max(3, ((int)(sigma * 4) | 1));
            Cv2.GaussianBlur(f, f, new Size(k, k), sigma);
            f *= alpha;
            return f;
        }
        using var dx = Field();
        using var dy = Field();
        using var mapX = new Mat(t.Height, t.Width, MatType.CV_32FC1);
        using var mapY = new Mat(t.Height, t.Width, MatType.CV_32FC1);
        // map = identity + displacement, a row at a time.
        var columns = Enumerable.Range(0, t.Width).Select(x => (float)x).ToArray();
        Pixels.RowBytes dxs = new(dx), dys = new(dy), xs = new(mapX), ys = new(mapY);
        for (int y = 0; y < xs.Rows; y++)
        {
            Pixels.Add(MemoryMarshal.Cast<byte, float>(dxs[y]), columns, MemoryMarshal.Cast<byte, float>(xs[y]));
            Pixels.Add(MemoryMarshal.Cast<byte, float>(dys[y]), y, MemoryMarshal.Cast<byte, float>(ys[y]));
        }
        Point2d Forward(Point2d p)
        {
            // Find q with q + d(q) = p (OpenCV coordinates are continuous ones minus 0.5).
            double px = p.X - 0.5, py = p.Y - 0.5, qx = px, qy = py;
            for (int i = 0; i < 20; i++)
            {
                qx = px - Remap.Sample(dx, qx, qy);
                qy = py - Remap.Sample(dy, qx, qy);
            }
            return new Point2d(qx + 0.5, qy + 0.5);
        }
        Remap.Apply(t, mapX, mapY, Forward, border);
    }
}
