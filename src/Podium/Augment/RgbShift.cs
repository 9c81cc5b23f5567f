using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Adds a per-channel shift uniform in ±limit to R, G and B.</summary>
[Transform("rgb_shift")]
public sealed class RgbShift(RgbShift.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        public double RShiftLimit { get; init; } = 20;
        public double GShiftLimit { get; init; } = 20;
        public double BShiftLimit { get; init; } = 20;
    }

    private readonly double rLimit = o.RShiftLimit, gLimit = o.GShiftLimit, bLimit = o.BShiftLimit;

    public RgbShift() : this(new Options()) { }

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
