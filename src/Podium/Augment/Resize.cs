using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Resizes to a fixed size, ignoring aspect ratio (validation: the whole image, no crop).</summary>
[Transform("resize")]
public sealed class Resize(Resize.Options o) : ITransform
{
    public sealed record Options : ComponentOptions
    {
        [ImageSize] public HeightWidth? Size { get; init; }
    }

    /// <summary>A fixed height and width (the TTA views' sizes).</summary>
    public Resize(int height, int width) : this(new Options { Size = new HeightWidth(height, width) }) { }

    public Options Settings { get; } = OptionRules.Check(o);
    public int Height => Settings.Size!.Value.Height;
    public int Width => Settings.Size!.Value.Width;

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
