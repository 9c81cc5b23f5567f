using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>albumentations' RandomSizedCrop: a crop of height uniform in [min, max] and width height·w2h_ratio, resized.</summary>
[Transform("random_sized_crop")]
public sealed class RandomSizedCrop(RandomSizedCrop.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        /// <summary>The crop's height range; unset, half the output height to all of it.</summary>
        [Positive] public Interval? MinMaxHeight { get; init; }
        [ImageSize] public HeightWidth? Size { get; init; }
        [Key("w2h_ratio"), Positive] public double W2hRatio { get; init; } = 1;
        public Options() => P = 1;
    }

    private readonly int height = o.Size?.Height ?? 0, width = o.Size?.Width ?? 0;
    private readonly int minHeight = (int)(o.MinMaxHeight?.Lo ?? (o.Size?.Height ?? 0) / 2);
    private readonly int maxHeight = (int)(o.MinMaxHeight?.Hi ?? (o.Size?.Height ?? 0));
    private readonly double w2hRatio = o.W2hRatio;

    public RandomSizedCrop() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        int ch = Math.Min(t.Height, rng.Next(minHeight, maxHeight + 1));
        int cw = Math.Min(t.Width, Math.Max(1, (int)Math.Round(ch * w2hRatio)));
        Warp.CropResize(t, new Rect(rng.Next(t.Width - cw + 1), rng.Next(t.Height - ch + 1), cw, ch), width, height);
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
        return (1 - fy) * ((1 - fx) * map.At<float>(y0, x0) + fx * map.At<float>(y0, x1)) + fy * ((1 - fx) * map.At<float>(y1,
            x0) + fx * map.At<float>(y1, x1));
    }
}
