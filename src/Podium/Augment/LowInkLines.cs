using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>A printer running low on ink: horizontal bands where the strokes fade.</summary>
[Transform("low_ink_lines")]
public sealed class LowInkLines(LowInkLines.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [NonNegative] public Interval Count { get; init; } = new(3, 10);
        [Within(0, 1)] public Interval Fade { get; init; } = new(0.3, 0.8);
    }

    private readonly int countLo = (int)o.Count.Lo, countHi = (int)o.Count.Hi;
    private readonly double fadeLo = o.Fade.Lo, fadeHi = o.Fade.Hi;

    public LowInkLines() : this(new Options()) { }

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
