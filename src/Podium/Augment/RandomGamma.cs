using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Podium.Augment;

/// <summary>255·(x/255)^γ with γ uniform in gamma_limit/100.</summary>
public sealed class RandomGamma(double lo = 80, double hi = 120, double p = 0.5) : RandomTransform(p)
{
    // in place: the target owns it
    protected override void Run(AugmentTarget t, Random rng) => Pixels.Lut(t.Image, Table(Sampling.Uniform(rng, lo, hi) / 100), t.Image);

    public static Mat Apply(Mat img, double gamma) => Pixels.Lut(img, Table(gamma));

    private static Func<int, double> Table(double gamma) => i => 255 * Math.Pow(i / 255.0, gamma);
}
