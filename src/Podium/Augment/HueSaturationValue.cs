using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Shifts hue, saturation and value by amounts uniform in ±limit (OpenCV's 8-bit HSV units).</summary>
[Transform("hue_saturation_value")]
public sealed class HueSaturationValue(HueSaturationValue.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        public double HueShiftLimit { get; init; } = 20;
        public double SatShiftLimit { get; init; } = 30;
        public double ValShiftLimit { get; init; } = 20;
    }

    private readonly double hueShift = o.HueShiftLimit, satShift = o.SatShiftLimit, valShift = o.ValShiftLimit;

    public HueSaturationValue() : this(new Options()) { }

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
