using OpenCvSharp;

namespace Podium.Augment;

/// <summary>torchvision's RandomErasing: one rectangle of area fraction in <c>scale</c> and aspect ratio (log-uniform) in
/// <c>ratio</c>.</summary>
public sealed class RandomErasing(double scaleLo = 0.02, double scaleHi = 0.33, double ratioLo = 0.3, double ratioHi = 3.3, double fill = 0,
    double p = 0.5) : RandomTransform(p)
{
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
