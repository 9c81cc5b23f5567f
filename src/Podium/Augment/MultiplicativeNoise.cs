using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Multiplies by factors uniform in [lo, hi]: one per image, per channel, or per element.</summary>
public sealed class MultiplicativeNoise(double lo = 0.9, double hi = 1.1, bool perChannel = false, bool elementwise = false,
    double p = 0.5) : RandomTransform(p)
{
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
