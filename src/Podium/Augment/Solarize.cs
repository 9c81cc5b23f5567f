using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Inverts values at or above the threshold.</summary>
[Transform("solarize")]
public sealed class Solarize(Solarize.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        public Interval Threshold { get; init; } = new(128, 128);
    }

    private readonly double thresholdLo = o.Threshold.Lo, thresholdHi = o.Threshold.Hi;

    public Solarize() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) => Pixels.Lut(t.Image, Table(Sampling.Uniform(rng, thresholdLo, thresholdHi)),
        t.Image);

    public static Mat Apply(Mat img, double threshold) => Pixels.Lut(img, Table(threshold));

    private static Func<int, double> Table(double threshold) => i => i >= threshold ? 255 - i : i;
}
