using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>255·(x/255)^γ with γ uniform in gamma_limit/100.</summary>
[Transform("random_gamma")]
public sealed class RandomGamma(RandomGamma.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Positive] public Interval GammaLimit { get; init; } = new(80, 120);
    }

    private readonly double lo = o.GammaLimit.Lo, hi = o.GammaLimit.Hi;

    public RandomGamma() : this(new Options()) { }

    // in place: the target owns it
    protected override void Run(AugmentTarget t, Random rng) => Pixels.Lut(t.Image, Table(Sampling.Uniform(rng, lo, hi) / 100), t.Image);

    public static Mat Apply(Mat img, double gamma) => Pixels.Lut(img, Table(gamma));

    private static Func<int, double> Table(double gamma) => i => 255 * Math.Pow(i / 255.0, gamma);
}
