using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Fills rectangles of the image (and, if asked, of the mask): occlusion the model must see past.</summary>
internal static class Holes
{
    public static void Fill(AugmentTarget t, IEnumerable<Rect> holes, double fill, double? maskFill)
    {
        // In place: the target owns its image and mask.
        var mask = maskFill is not null ? t.Mask : null;
        var bounds = new Rect(0, 0, t.Width, t.Height);
        foreach (var r in holes)
        {
            var clipped = r & bounds;
            if (clipped.Width <= 0 || clipped.Height <= 0) continue;
            FillRect(t.Image, clipped, fill);
            if (mask is not null) FillRect(mask, clipped, maskFill!.Value);
        }
    }

    /// <summary>
    /// Sets every channel of the pixels in <paramref name="r"/> to <paramref name="value"/>: a memset
    /// per row for 8-bit images (cv::rectangle writes 3-channel pixels one at a time), OpenCV otherwise.
    /// </summary>
    internal static void FillRect(Mat m, Rect r, double value)
    {
        if (m.Depth() != MatType.CV_8U) { Cv2.Rectangle(m, r, Scalar.All(value), -1); return; }
        var rows = new Pixels.RowBytes(m);
        int c = m.Channels();
        byte v = (byte)Math.Clamp(Math.Round(value), 0, 255);
        for (int y = r.Y; y < r.Bottom; y++) rows[y].Slice(r.X * c, r.Width * c).Fill(v);
    }

    /// <summary>A size in pixels, or a fraction of <paramref name="side"/> when below 1.</summary>
    public static int Pixels(double v, int side) => v < 1 ? Math.Max(1, (int)Math.Round(v * side)) : (int)v;
}

/// <summary>albumentations' CoarseDropout (Cutout): a random number of random rectangles, sizes in pixels or fractions.</summary>
[Transform("coarse_dropout")]
[Transform("cutout")]
public sealed class CoarseDropout(CoarseDropout.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Positive] public int MaxHoles { get; init; } = 8;
        /// <summary>Unset: max_holes (and likewise for the sizes).</summary>
        [Positive] public int? MinHoles { get; init; }
        [Positive] public double MaxHeight { get; init; } = 8;
        [Positive] public double? MinHeight { get; init; }
        [Positive] public double MaxWidth { get; init; } = 8;
        [Positive] public double? MinWidth { get; init; }
        public double FillValue { get; init; }
        public double? MaskFillValue { get; init; }

        public override void Validate()
        {
            if (MinHoles > MaxHoles || MinHeight > MaxHeight || MinWidth > MaxWidth)
                throw new ConfigException("min_holes/min_height/min_width must not exceed their max");
        }
    }

    private readonly int minHoles = o.MinHoles ?? o.MaxHoles, maxHoles = o.MaxHoles;
    private readonly double minHeight = o.MinHeight ?? o.MaxHeight, maxHeight = o.MaxHeight;
    private readonly double minWidth = o.MinWidth ?? o.MaxWidth, maxWidth = o.MaxWidth;
    private readonly double fill = o.FillValue;
    private readonly double? maskFill = o.MaskFillValue;

    public CoarseDropout() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        int n = rng.Next(minHoles, maxHoles + 1);
        var holes = new List<Rect>(n);
        for (int i = 0; i < n; i++)
        {
            int h = rng.Next(Holes.Pixels(minHeight, t.Height), Holes.Pixels(maxHeight, t.Height) + 1);
            int w = rng.Next(Holes.Pixels(minWidth, t.Width), Holes.Pixels(maxWidth, t.Width) + 1);
            holes.Add(new Rect(rng.Next(Math.Max(1, t.Width - w + 1)), rng.Next(Math.Max(1, t.Height - h + 1)), w, h));
        }
        Holes.Fill(t, holes, fill, maskFill);
    }
}
