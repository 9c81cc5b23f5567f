using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Median blur with an odd kernel from blur_limit.</summary>
public sealed class MedianBlur(int lo = 3, int hi = 7, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) => t.Replace(Apply(t.Image, Kernel.OddSize(rng, lo, hi)));

    public static Mat Apply(Mat img, int ksize)
    {
        var dst = new Mat();
        Cv2.MedianBlur(img, dst, ksize);
        return dst;
    }
}
