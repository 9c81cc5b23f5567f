using OpenCvSharp;

namespace Podium.Augment;

/// <summary>RandAugment (Cubuk et al. 2020): <c>n</c> ops chosen uniformly, each at magnitude <c>m</c> of <c>bins</c>.</summary>
public sealed class RandAugment(int n = 2, int m = 9, int bins = 31, double p = 1) : RandomTransform(p)
{
    private static readonly PolicyOp[] Ops =
    [
        PolicyOp.Identity, PolicyOp.ShearX, PolicyOp.ShearY, PolicyOp.TranslateX, PolicyOp.TranslateY, PolicyOp.Rotate, PolicyOp.Brightness,
        PolicyOp.Color, PolicyOp.Contrast, PolicyOp.Sharpness, PolicyOp.Posterize, PolicyOp.Solarize, PolicyOp.AutoContrast,
            PolicyOp.Equalize,
    ];

    protected override void Run(AugmentTarget t, Random rng)
    {
        for (int i = 0; i < n; i++)
        {
            var op = Ops[rng.Next(Ops.Length)];
            double magnitude = PolicyOps.Magnitude(op, m, bins, wide: false, t.Width, t.Height);
            if (PolicyOps.Signed(op) && rng.Next(2) == 0) magnitude = -magnitude;
            PolicyOps.Apply(t, op, magnitude);
        }
    }
}
