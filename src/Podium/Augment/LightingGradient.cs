using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Uneven lighting: a linear brightness gradient across the page and, sometimes, a soft shadow.</summary>
[Transform("lighting_gradient")]
public sealed class LightingGradient(LightingGradient.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Within(0, 1)] public Interval Darkest { get; init; } = new(0.5, 0.85);
        [Within(0, 1)] public double ShadowP { get; init; } = 0.5;
    }

    private readonly double darkLo = o.Darkest.Lo, darkHi = o.Darkest.Hi, shadowP = o.ShadowP;

    public LightingGradient() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        double angle = rng.NextDouble() * Math.PI * 2, dx = Math.Cos(angle), dy = Math.Sin(angle), low = Sampling.Uniform(rng, darkLo,
            darkHi);
        var factor = new Mat(t.Height, t.Width, MatType.CV_32FC1);
        double span = Math.Abs(dx) * t.Width + Math.Abs(dy) * t.Height;
        for (int y = 0; y < t.Height; y++)
            for (int x = 0; x < t.Width; x++)
            {
                double s = ((x - t.Width / 2.0) * dx + (y - t.Height / 2.0) * dy) / span + 0.5;
                factor.Set(y, x, (float)(low + (1 - low) * Math.Clamp(s, 0, 1)));
            }
        if (rng.NextDouble() < shadowP)
        {
            using var shadow = new Mat(t.Height, t.Width, MatType.CV_32FC1, Scalar.All(1));
            var centre = new Point(rng.Next(t.Width), rng.Next(t.Height));
            var axes = new Size(rng.Next(t.Width / 4, t.Width + 1), rng.Next(t.Height / 4, t.Height + 1));
            Cv2.Ellipse(shadow, centre, axes, rng.Next(180), 0, 360, Scalar.All(Sampling.Uniform(rng, 0.55, 0.85)), -1);
            int k = (Math.Max(t.Width, t.Height) / 8) | 1;
            Cv2.GaussianBlur(shadow, shadow, new Size(k, k), 0);
            Cv2.Multiply(factor, shadow, factor);
        }
        using (factor) t.Replace(Doc.Multiply(t.Image, factor));
    }
}
