using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Additive Gaussian noise, variance uniform in var_limit, per pixel and channel.</summary>
public sealed class GaussNoise(double varLo = 10, double varHi = 50, double mean = 0, double p = 0.5) : RandomTransform(p)
{
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
