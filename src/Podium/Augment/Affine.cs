using OpenCvSharp;

namespace Podium.Augment;

/// <summary>
/// Scale, translation (a fraction of the size), rotation and shear, each uniform in its range,
/// about the centre (albumentations' Affine; ShiftScaleRotate is its shear-free special case).
/// </summary>
public sealed class Affine(double[] scale, double[] translate, double[] rotate, double[] shear,
    BorderTypes border = BorderTypes.Constant, double value = 0, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        double s = Sampling.Uniform(rng, scale[0], scale[1]);
        double dx = Sampling.Uniform(rng, translate[0], translate[1]) * t.Width, dy = Sampling.Uniform(rng, translate[0],
            translate[1]) * t.Height;
        double angle = Sampling.Uniform(rng, rotate[0], rotate[1]);
        double shx = Sampling.Uniform(rng, shear[0], shear[1]), shy = Sampling.Uniform(rng, shear[0], shear[1]);
        Warp.Apply(t, Warp.Affine(t.Width / 2.0, t.Height / 2.0, angle, s, shx, shy, dx, dy), t.Width, t.Height, border, Scalar.All(value));
    }
}
