using OpenCvSharp;

namespace Podium.Augment;

/// <summary>albumentations' RandomBrightnessContrast: img·(1 + c) + b·255, c and b uniform in ±limit.</summary>
[Transform("random_brightness_contrast")]
public sealed class RandomBrightnessContrast(RandomBrightnessContrast.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        public double BrightnessLimit { get; init; } = 0.2;
        public double ContrastLimit { get; init; } = 0.2;
    }

    private readonly double brightnessLimit = o.BrightnessLimit, contrastLimit = o.ContrastLimit;

    public RandomBrightnessContrast() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) =>
        t.Replace(Apply(t.Image, Sampling.Uniform(rng, -brightnessLimit, brightnessLimit), Sampling.Uniform(rng, -contrastLimit,
            contrastLimit)));

    public static Mat Apply(Mat img, double brightness, double contrast) => Pixels.Scale(img, 1 + contrast, brightness * 255);
}
