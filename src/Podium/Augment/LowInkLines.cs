using OpenCvSharp;

namespace Podium.Augment;

/// <summary>A printer running low on ink: horizontal bands where the strokes fade.</summary>
public sealed class LowInkLines(int countLo = 3, int countHi = 10, double fadeLo = 0.3, double fadeHi = 0.8,
    double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        using var factor = new Mat(t.Height, t.Width, MatType.CV_32FC1, Scalar.All(0));
        for (int i = rng.Next(countLo, countHi + 1); i > 0; i--)
        {
            int y = rng.Next(t.Height), h = rng.Next(1, Math.Max(2, t.Height / 60 + 2));
            factor[new Rect(0, y, t.Width, Math.Min(h, t.Height - y))].SetTo(Scalar.All(Sampling.Uniform(rng, fadeLo, fadeHi)));
        }
        // Blend towards white inside the bands: x + (255 − x) · fade.
        using var inverted = new Mat();
        Cv2.BitwiseNot(t.Image, inverted);
        using var lift = Doc.Multiply(inverted, factor);
        var dst = new Mat();
        Cv2.Add(t.Image, lift, dst);
        t.Replace(dst);
    }
}
