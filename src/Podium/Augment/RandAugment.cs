using Podium.Config;

namespace Podium.Augment;

/// <summary>RandAugment (Cubuk et al. 2020): <c>n</c> ops chosen uniformly, each at magnitude <c>m</c> of <c>bins</c>.</summary>
[Transform("rand_augment")]
public sealed class RandAugment(RandAugment.Options o) : RandomTransform(o)
{
    public sealed record Options : PolicyOptions
    {
        [NonNegative] public int N { get; init; } = 2;
        public int M { get; init; } = 9;
        public Options() => P = 1;

        public override void Validate()
        {
            base.Validate();
            if (M < 0 || M >= NumMagnitudeBins) throw new ConfigException($"m must be in [0, {NumMagnitudeBins - 1}], got {M}");
        }
    }

    private readonly int n = o.N, m = o.M, bins = o.NumMagnitudeBins;

    public RandAugment() : this(new Options()) { }

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
