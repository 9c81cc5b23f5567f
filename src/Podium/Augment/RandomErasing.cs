using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>torchvision's RandomErasing: one rectangle of area fraction in <c>scale</c> and aspect ratio (log-uniform) in
/// <c>ratio</c>.</summary>
[Transform("random_erasing")]
public sealed class RandomErasing(RandomErasing.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Positive, Within(0, 1)] public Interval Scale { get; init; } = new(0.02, 0.33);
        [Positive] public Interval Ratio { get; init; } = new(0.3, 3.3);
        public double Value { get; init; }
    }

    private readonly double scaleLo = o.Scale.Lo, scaleHi = o.Scale.Hi, ratioLo = o.Ratio.Lo, ratioHi = o.Ratio.Hi, fill = o.Value;

    public RandomErasing() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        double area = (double)t.Width * t.Height;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * Sampling.Uniform(rng, scaleLo, scaleHi);
            double aspect = Math.Exp(Sampling.Uniform(rng, Math.Log(ratioLo), Math.Log(ratioHi)));
            int h = (int)Math.Round(Math.Sqrt(target * aspect)), w = (int)Math.Round(Math.Sqrt(target / aspect));
            if (h < t.Height && w < t.Width && h > 0 && w > 0)
            {
                Holes.Fill(t, [new Rect(rng.Next(t.Width - w + 1), rng.Next(t.Height - h + 1), w, h)], fill, null);
                return;
            }
        }
    }
}
