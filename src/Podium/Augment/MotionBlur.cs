using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Blur along a random line through the kernel: camera shake.</summary>
[Transform("motion_blur")]
public sealed class MotionBlur(MotionBlur.Options o) : RandomTransform(o)
{
    public sealed record Options : BlurOptions
    {
    }

    private readonly int lo = (int)o.BlurLimit.Lo, hi = (int)o.BlurLimit.Hi;

    public MotionBlur() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        int k = Kernel.OddSize(rng, lo, hi);
        using var kernel = new Mat(k, k, MatType.CV_32FC1, Scalar.All(0));
        Point a, b;
        do { a = new Point(rng.Next(k), rng.Next(k)); b = new Point(rng.Next(k), rng.Next(k)); } while (a == b);
        Cv2.Line(kernel, a, b, Scalar.All(1), 1);
        var dst = new Mat();
        using var normalised = kernel / Cv2.Sum(kernel).Val0;
        Cv2.Filter2D(t.Image, dst, -1, normalised);
        t.Replace(dst);
    }
}
