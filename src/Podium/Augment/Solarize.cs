using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Inverts values at or above the threshold.</summary>
public sealed class Solarize(double thresholdLo = 128, double thresholdHi = 128, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) => Pixels.Lut(t.Image, Table(Sampling.Uniform(rng, thresholdLo, thresholdHi)),
        t.Image);

    public static Mat Apply(Mat img, double threshold) => Pixels.Lut(img, Table(threshold));

    private static Func<int, double> Table(double threshold) => i => i >= threshold ? 255 - i : i;
}
