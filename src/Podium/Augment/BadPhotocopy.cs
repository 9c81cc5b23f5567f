using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>A bad photocopy: contrast pushed up, toner speckle on the page, strokes partly broken.</summary>
[Transform("bad_photocopy")]
public sealed class BadPhotocopy(BadPhotocopy.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Within(0, 0.5)] public Interval Noise { get; init; } = new(0.01, 0.05);
    }

    private readonly double noiseLo = o.Noise.Lo, noiseHi = o.Noise.Hi;

    public BadPhotocopy() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        using var contrasted = Pixels.Scale(t.Image, Sampling.Uniform(rng, 1.3, 1.8), -Sampling.Uniform(rng, 40, 90));
        using var speckle = new Mat(t.Image.Size(), MatType.CV_32FC1);
        new RNG((ulong)rng.NextInt64()).Fill(speckle, DistributionType.Uniform, Scalar.All(0), Scalar.All(1));
        double density = Sampling.Uniform(rng, noiseLo, noiseHi);
        using var dots = new Mat();
        Cv2.Threshold(speckle, dots, 1 - density, 1, ThresholdTypes.Binary);   // 1 where toner lands
        using var breaks = new Mat();
        Cv2.Threshold(speckle, breaks, density, 1, ThresholdTypes.BinaryInv); // 1 where strokes break
        using var factor = new Mat();
        dots.ConvertTo(factor, MatType.CV_32FC1, -0.85, 1);
        using var speckled = Doc.Multiply(contrasted, factor);
        using var ink = Doc.InkMask(t.Image);
        using var broken = new Mat();
        breaks.ConvertTo(broken, MatType.CV_8UC1, 255);
        Cv2.BitwiseAnd(broken, ink, broken);
        var dst = speckled.Clone();
        dst.SetTo(Scalar.All(255), broken);
        t.Replace(dst);
    }
}
