using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Adds a per-channel shift uniform in ±limit to R, G and B.</summary>
public sealed class RgbShift(double rLimit = 20, double gLimit = 20, double bLimit = 20, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        double r = Sampling.Uniform(rng, -rLimit, rLimit), g = Sampling.Uniform(rng, -gLimit, gLimit), b = Sampling.Uniform(rng, -bLimit,
            bLimit);
        if (Pixels.IsColour(t.Image)) Pixels.AddPerChannelInPlace(t.Image, [(int)Math.Round(r), (int)Math.Round(g), (int)Math.Round(b)]);
    }

    public static Mat Apply(Mat img, double r, double g, double b)
    {
        var dst = img.Clone();
        Pixels.AddPerChannelInPlace(dst, [(int)Math.Round(r), (int)Math.Round(g), (int)Math.Round(b)]);
        return dst;
    }
}
