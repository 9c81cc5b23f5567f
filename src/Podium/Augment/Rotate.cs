using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Rotates by an angle uniform in [-limit, limit] degrees about the centre, keeping the size.</summary>
[Transform("rotate")]
public sealed class Rotate(Rotate.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        public double Limit { get; init; } = 90;
        public BorderMode BorderMode { get; init; } = BorderMode.Constant;
        public double Value { get; init; }
    }

    private readonly double limit = o.Limit, value = o.Value;
    private readonly BorderTypes border = o.BorderMode.ToCv();

    public Rotate() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        double angle = Sampling.Uniform(rng, -limit, limit);
        Warp.Apply(t, Warp.Affine(t.Width / 2.0, t.Height / 2.0, angle, 1), t.Width, t.Height, border, Scalar.All(value));
    }
}
