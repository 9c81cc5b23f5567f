using OpenCvSharp;

namespace Podium.Augment;

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
