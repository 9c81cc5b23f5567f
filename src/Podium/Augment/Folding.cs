using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>A fold across the page: a crease line with shading on one side (no geometry moves).</summary>
[Transform("folding")]
public sealed class Folding(Folding.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Positive] public Interval Folds { get; init; } = new(1, 2);
    }

    private readonly int foldsLo = (int)o.Folds.Lo, foldsHi = (int)o.Folds.Hi;

    public Folding() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        using var factor = new Mat(t.Height, t.Width, MatType.CV_32FC1, Scalar.All(1));
        for (int f = rng.Next(foldsLo, foldsHi + 1); f > 0; f--)
        {
            bool vertical = rng.Next(2) == 0;
            int at = vertical ? rng.Next(t.Width / 5, 4 * t.Width / 5) : rng.Next(t.Height / 5, 4 * t.Height / 5);
            int falloff = Math.Max(3, (vertical ? t.Width : t.Height) / rng.Next(10, 30));
            double depth = Sampling.Uniform(rng, 0.6, 0.85);
            for (int d = -falloff; d <= falloff; d++)
            {
                int line = at + d;
                if (line < 0 || line >= (vertical ? t.Width : t.Height)) continue;
                // Darkest at the crease, lighter on the far side of it: light coming from one direction.
                double s = d < 0 ? 1 - (1 - depth) * (1 - (double)-d / falloff) : 1 - (1 - depth) * 0.4 * (1 - (double)d / falloff);
                var r = vertical ? new Rect(line, 0, 1, t.Height) : new Rect(0, line, t.Width, 1);
                using var stripe = new Mat(factor, r);
                Cv2.Multiply(stripe, Scalar.All(s), stripe);
            }
        }
        t.Replace(Doc.Multiply(t.Image, factor));
    }
}
