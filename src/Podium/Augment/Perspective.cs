using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>
/// A random perspective: each corner moves inwards by |N(0, scale)| of the size, and that
/// quadrilateral is warped onto the whole output (so no border appears).
/// </summary>
[Transform("perspective")]
public sealed class Perspective(Perspective.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        public Interval Scale { get; init; } = new(0.05, 0.1);
    }

    private readonly double scaleMin = o.Scale.Lo, scaleMax = o.Scale.Hi;

    public Perspective() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        double sigma = Sampling.Uniform(rng, scaleMin, scaleMax);
        double Jitter() => Math.Min(0.45, Math.Abs(Sampling.Gaussian(rng) * sigma));
        double w = t.Width, h = t.Height;
        var src = new[]
        {
            new Point2f((float)(Jitter() * w), (float)(Jitter() * h)),
            new Point2f((float)(w - Jitter() * w), (float)(Jitter() * h)),
            new Point2f((float)(w - Jitter() * w), (float)(h - Jitter() * h)),
            new Point2f((float)(Jitter() * w), (float)(h - Jitter() * h)),
        };
        var dst = new[] { new Point2f(0, 0), new Point2f((float)w, 0), new Point2f((float)w, (float)h), new Point2f(0, (float)h) };
        using var m = Cv2.GetPerspectiveTransform(src, dst);
        var matrix = new double[9];
        for (int i = 0; i < 9; i++) matrix[i] = m.At<double>(i / 3, i % 3);
        Warp.Apply(t, matrix, t.Width, t.Height, BorderTypes.Replicate);
    }
}
