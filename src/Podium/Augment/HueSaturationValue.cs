using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Shifts hue, saturation and value by amounts uniform in ±limit (OpenCV's 8-bit HSV units).</summary>
public sealed class HueSaturationValue(double hueShift = 20, double satShift = 30, double valShift = 20,
    double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        double h = Sampling.Uniform(rng, -hueShift, hueShift), s = Sampling.Uniform(rng, -satShift, satShift), v = Sampling.Uniform(rng,
            -valShift, valShift);
        if (Pixels.IsColour(t.Image)) t.Replace(Apply(t.Image, h, s, v));
        else t.Replace(Pixels.Lut(t.Image, i => i + v));
    }

    public static Mat Apply(Mat img, double hue, double sat, double val) =>
        Pixels.InHsv(img, h => Pixels.WrapHue(h, Math.Round(hue)), s => s + sat, x => x + val);
}
