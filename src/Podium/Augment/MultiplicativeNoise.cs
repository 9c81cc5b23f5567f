using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Multiplies by factors uniform in [lo, hi]: one per image, per channel, or per element.</summary>
[Transform("multiplicative_noise")]
public sealed class MultiplicativeNoise(MultiplicativeNoise.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [NonNegative] public Interval Multiplier { get; init; } = new(0.9, 1.1);
        public bool PerChannel { get; init; }
        public bool Elementwise { get; init; }
    }

    private readonly double lo = o.Multiplier.Lo, hi = o.Multiplier.Hi;
    private readonly bool perChannel = o.PerChannel, elementwise = o.Elementwise;

    public MultiplicativeNoise() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        int c = t.Image.Channels();
        using var f = new Mat();
        t.Image.ConvertTo(f, MatType.CV_32FC(c));
        if (elementwise)
        {
            using var m = new Mat(t.Image.Size(), MatType.CV_32FC(perChannel ? c : 1));
            new RNG((ulong)rng.NextInt64()).Fill(m, DistributionType.Uniform, Scalar.All(lo), Scalar.All(hi));
            using var full = perChannel || c == 1 ? m.Clone() : new Mat();
            if (!perChannel && c > 1) Cv2.Merge(Enumerable.Repeat(m, c).ToArray(), full);
            Cv2.Multiply(f, full, f);
        }
        else
        {
            var s = perChannel ? new Scalar(Sampling.Uniform(rng, lo, hi), Sampling.Uniform(rng, lo, hi), Sampling.Uniform(rng, lo,
                hi)) : Scalar.All(Sampling.Uniform(rng, lo, hi));
            Cv2.Multiply(f, s, f);
        }
        var dst = new Mat();
        f.ConvertTo(dst, t.Image.Type());
        t.Replace(dst);
    }
}
