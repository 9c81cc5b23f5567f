using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Paper: a fibrous texture and a tint (white, cream, recycled grey) multiplied into the page.</summary>
[Transform("paper_texture")]
public sealed class PaperTexture(PaperTexture.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Within(0, 1)] public Interval Strength { get; init; } = new(0.05, 0.2);
    }

    private readonly double strengthLo = o.Strength.Lo, strengthHi = o.Strength.Hi;

    public PaperTexture() : this(new Options()) { }

    private static readonly Scalar[] Tints = [new(255, 255, 255), new(250, 243, 224), new(236, 232, 220), new(244, 240, 232), new(225, 225,
        220)];

    protected override void Run(AugmentTarget t, Random rng)
    {
        double strength = Sampling.Uniform(rng, strengthLo, strengthHi);
        using var coarse = Doc.SmoothNoise(t.Image.Size(), Sampling.Uniform(rng, 20, 60), rng);
        using var fine = new Mat(t.Image.Size(), MatType.CV_32FC1);
        new RNG((ulong)rng.NextInt64()).Fill(fine, DistributionType.Uniform, Scalar.All(0), Scalar.All(1));
        using var fibres = new Mat();
        Cv2.GaussianBlur(fine, fibres, new Size(5, 1), 0); // horizontal streaks, as paper fibres
        using var texture = new Mat();
        Cv2.AddWeighted(coarse, 0.6, fibres, 0.4, 0, texture);
        using var factor = new Mat();
        texture.ConvertTo(factor, MatType.CV_32FC1, -strength, 1);
        using var textured = Doc.Multiply(t.Image, factor);
        var tint = Tints[rng.Next(Tints.Length)];
        var dst = new Mat();
        if (textured.Channels() == 3) Cv2.Multiply(textured, new Scalar(tint.Val0 / 255, tint.Val1 / 255, tint.Val2 / 255), dst);
        else textured.CopyTo(dst);
        t.Replace(dst);
    }
}
