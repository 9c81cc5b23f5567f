using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>
/// albumentations' GridDistortion: the image is cut into num_steps cells per axis whose sizes are
/// scaled by 1 + U(−limit, limit). The map is separable and piecewise linear, so points move by its
/// exact inverse.
/// </summary>
[Transform("grid_distortion")]
public sealed class GridDistortion(GridDistortion.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Positive] public int NumSteps { get; init; } = 5;
        [Within(0, 0.9)] public double DistortLimit { get; init; } = 0.3;
        public BorderMode BorderMode { get; init; } = BorderMode.Reflect101;
    }

    private readonly int steps = o.NumSteps;
    private readonly double limit = o.DistortLimit;
    private readonly BorderTypes border = o.BorderMode.ToCv();

    public GridDistortion() : this(new Options()) { }

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
        if (separable) t.Replace(Resample.Separable(t.Image, Resample.Linear(rowX, t.Width, border), Resample.Linear(colY, t.Height,
            border)));
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

    /// <summary>Node positions in the output (uniform) and in the source (distorted, rescaled to the same length), continuous
    /// coordinates.</summary>
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
