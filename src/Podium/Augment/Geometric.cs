using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Resizes to a fixed size, ignoring aspect ratio (validation: the whole image, no crop).</summary>
public sealed class Resize(int height, int width) : ITransform
{
    public int Height { get; } = height;
    public int Width { get; } = width;

    public void Apply(AugmentTarget target, Random rng) => target.Replace(ResizeTo(target.Image, Width, Height));

    /// <summary>Area interpolation when shrinking (no aliasing), bilinear when enlarging.</summary>
    public static Mat ResizeTo(Mat src, int width, int height)
    {
        if (src.Width == width && src.Height == height) return src;
        var dst = new Mat();
        var shrink = width < src.Width && height < src.Height;
        Cv2.Resize(src, dst, new Size(width, height), 0, 0, shrink ? InterpolationFlags.Area : InterpolationFlags.Linear);
        return dst;
    }
}

/// <summary>
/// torchvision's RandomResizedCrop: a crop of random area (a fraction in <c>scale</c> of the image)
/// and aspect ratio (log-uniform in <c>ratio</c>), resized to the output size; after 10 misses, a
/// centre crop at the nearest allowed ratio.
/// </summary>
public sealed class RandomResizedCrop(int height, int width, double scaleMin = 0.08, double scaleMax = 1.0,
    double ratioMin = 3.0 / 4, double ratioMax = 4.0 / 3) : ITransform
{
    public void Apply(AugmentTarget target, Random rng)
    {
        var img = target.Image;
        var rect = SampleCrop(img.Width, img.Height, rng);
        using var crop = new Mat(img, rect);
        target.Replace(Resize.ResizeTo(crop, width, height) is var r && ReferenceEquals(r, crop) ? crop.Clone() : r);
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

/// <summary>Mirrors left-right with probability <c>p</c>.</summary>
public sealed class HorizontalFlip(double p = 0.5) : ITransform
{
    public void Apply(AugmentTarget target, Random rng)
    {
        if (rng.NextDouble() >= p) return;
        var dst = new Mat();
        Cv2.Flip(target.Image, dst, FlipMode.Y);
        target.Replace(dst);
    }
}
