using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Rotates by an angle uniform in [-limit, limit] degrees about the centre, keeping the size.</summary>
public sealed class Rotate(double limit = 90, BorderTypes border = BorderTypes.Constant, double value = 0,
    double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        double angle = Sampling.Uniform(rng, -limit, limit);
        Warp.Apply(t, Warp.Affine(t.Width / 2.0, t.Height / 2.0, angle, 1), t.Width, t.Height, border, Scalar.All(value));
    }
}
