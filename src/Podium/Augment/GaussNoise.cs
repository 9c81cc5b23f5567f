using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Additive Gaussian noise, variance uniform in var_limit, per pixel and channel.</summary>
[Transform("gauss_noise")]
public sealed class GaussNoise(GaussNoise.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [NonNegative] public Interval VarLimit { get; init; } = new(10, 50);
        public double Mean { get; init; }
    }

    private readonly double varLo = o.VarLimit.Lo, varHi = o.VarLimit.Hi, mean = o.Mean;

    public GaussNoise() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        double sigma = Math.Sqrt(Sampling.Uniform(rng, varLo, varHi));
        using var noise = new Mat(t.Image.Size(), MatType.CV_32FC(t.Image.Channels()));
        // OpenCV's RNG seeded from ours: reproducible per sample whatever the thread.
        new RNG((ulong)rng.NextInt64()).Fill(noise, DistributionType.Normal, Scalar.All(mean), Scalar.All(sigma));
        t.Replace(AddFloat(t.Image, noise));
    }

    internal static Mat AddFloat(Mat img, Mat noise)
    {
        using var f = new Mat();
        img.ConvertTo(f, noise.Type());
        Cv2.Add(f, noise, f);
        var dst = new Mat();
        f.ConvertTo(dst, img.Type());
        return dst;
    }
}
