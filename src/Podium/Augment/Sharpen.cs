using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>albumentations' Sharpen: the identity kernel blended (alpha) with a Laplacian-style kernel of centre 8 + lightness.</summary>
[Transform("sharpen")]
public sealed class Sharpen(Sharpen.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        public Interval Alpha { get; init; } = new(0.2, 0.5);
        public Interval Lightness { get; init; } = new(0.5, 1.0);
    }

    private readonly double alphaLo = o.Alpha.Lo, alphaHi = o.Alpha.Hi, lightLo = o.Lightness.Lo, lightHi = o.Lightness.Hi;

    public Sharpen() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) => t.Replace(Apply(t.Image, Sampling.Uniform(rng, alphaLo, alphaHi),
        Sampling.Uniform(rng, lightLo, lightHi)));

    public static Mat Apply(Mat img, double alpha, double lightness)
    {
        var k = new float[9];
        for (int i = 0; i < 9; i++) k[i] = (float)(alpha * -1);
        k[4] = (float)((1 - alpha) + alpha * (8 + lightness));
        using var kernel = Mat.FromPixelData(3, 3, MatType.CV_32FC1, k);
        var dst = new Mat();
        Cv2.Filter2D(img, dst, -1, kernel);
        return dst;
    }
}
