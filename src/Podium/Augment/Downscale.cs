using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Down-scales by a factor uniform in the range and back up (nearest both ways, as albumentations): lost detail.</summary>
[Transform("downscale")]
public sealed class Downscale(Downscale.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Within(0.01, 1)] public Interval ScaleRange { get; init; } = new(0.25, 0.25);
    }

    private readonly double scaleLo = o.ScaleRange.Lo, scaleHi = o.ScaleRange.Hi;

    public Downscale() : this(new Options()) { }

    // back into the owned image
    protected override void Run(AugmentTarget t, Random rng) => Apply(t.Image, Sampling.Uniform(rng, scaleLo, scaleHi), t.Image);

    public static Mat Apply(Mat img, double scale)
    {
        var dst = new Mat();
        Apply(img, scale, dst);
        return dst;
    }

    private static void Apply(Mat img, double scale, Mat dst)
    {
        var size = img.Size();
        using var small = new Mat();
        Cv2.Resize(img, small, new Size(Math.Max(1, (int)(size.Width * scale)), Math.Max(1, (int)(size.Height * scale))), 0, 0,
            InterpolationFlags.Nearest);
        Cv2.Resize(small, dst, size, 0, 0, InterpolationFlags.Nearest);
    }
}
