using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Podium.Augment;

/// <summary>albumentations' RandomBrightnessContrast: img·(1 + c) + b·255, c and b uniform in ±limit.</summary>
public sealed class RandomBrightnessContrast(double brightnessLimit = 0.2, double contrastLimit = 0.2, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) =>
        t.Replace(Apply(t.Image, Sampling.Uniform(rng, -brightnessLimit, brightnessLimit), Sampling.Uniform(rng, -contrastLimit,
            contrastLimit)));

    public static Mat Apply(Mat img, double brightness, double contrast) => Pixels.Scale(img, 1 + contrast, brightness * 255);
}
