using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>
/// Scale, translation (a fraction of the size), rotation and shear, each uniform in its range,
/// about the centre (albumentations' Affine; ShiftScaleRotate is its shear-free special case).
/// </summary>
[Transform("affine")]
public sealed class Affine(Affine.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        public Interval Scale { get; init; } = new(1, 1);
        [OneNumber(OneNumber.Symmetric)] public Interval TranslatePercent { get; init; } = new(0, 0);
        [OneNumber(OneNumber.Symmetric)] public Interval Rotate { get; init; } = new(0, 0);
        [OneNumber(OneNumber.Symmetric)] public Interval Shear { get; init; } = new(0, 0);
        public BorderMode BorderMode { get; init; } = BorderMode.Constant;
        public double Value { get; init; }
    }

    private readonly Interval scale = o.Scale, translate = o.TranslatePercent, rotate = o.Rotate, shear = o.Shear;
    private readonly BorderTypes border = o.BorderMode.ToCv();
    private readonly double value = o.Value;

    public Affine() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) => Transform(t, rng, scale, translate, rotate, shear, border, value);

    /// <summary>One draw of scale, shift, angle and shear from their ranges, applied about the centre.</summary>
    internal static void Transform(AugmentTarget t, Random rng, Interval scale, Interval translate, Interval rotate, Interval shear,
        BorderTypes border, double value)
    {
        double s = Sampling.Uniform(rng, scale.Lo, scale.Hi);
        double dx = Sampling.Uniform(rng, translate.Lo, translate.Hi) * t.Width;
        double dy = Sampling.Uniform(rng, translate.Lo, translate.Hi) * t.Height;
        double angle = Sampling.Uniform(rng, rotate.Lo, rotate.Hi);
        double shx = Sampling.Uniform(rng, shear.Lo, shear.Hi), shy = Sampling.Uniform(rng, shear.Lo, shear.Hi);
        Warp.Apply(t, Warp.Affine(t.Width / 2.0, t.Height / 2.0, angle, s, shx, shy, dx, dy), t.Width, t.Height, border, Scalar.All(value));
    }
}
