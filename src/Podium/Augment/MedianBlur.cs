using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Median blur with an odd kernel from blur_limit.</summary>
[Transform("median_blur")]
public sealed class MedianBlur(MedianBlur.Options o) : RandomTransform(o)
{
    public sealed record Options : BlurOptions
    {
    }

    private readonly int lo = (int)o.BlurLimit.Lo, hi = (int)o.BlurLimit.Hi;

    public MedianBlur() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) => t.Replace(Apply(t.Image, Kernel.OddSize(rng, lo, hi)));

    public static Mat Apply(Mat img, int ksize)
    {
        var dst = new Mat();
        Cv2.MedianBlur(img, dst, ksize);
        return dst;
    }
}
