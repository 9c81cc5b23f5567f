namespace Podium.Augment;

/// <summary>TrivialAugmentWide (Müller & Hutter 2021): one op, one magnitude bin, both uniform, wide ranges.</summary>
[Transform("trivial_augment_wide")]
public sealed class TrivialAugmentWide(TrivialAugmentWide.Options o) : RandomTransform(o)
{
    public sealed record Options : PolicyOptions
    {
        public Options() => P = 1;
    }

    private readonly int bins = o.NumMagnitudeBins;

    public TrivialAugmentWide() : this(new Options()) { }

    private static readonly PolicyOp[] Ops =
    [
        PolicyOp.Identity, PolicyOp.ShearX, PolicyOp.ShearY, PolicyOp.TranslateX, PolicyOp.TranslateY, PolicyOp.Rotate, PolicyOp.Brightness,
        PolicyOp.Color, PolicyOp.Contrast, PolicyOp.Sharpness, PolicyOp.Posterize, PolicyOp.Solarize, PolicyOp.AutoContrast,
            PolicyOp.Equalize,
    ];

    protected override void Run(AugmentTarget t, Random rng)
    {
        var op = Ops[rng.Next(Ops.Length)];
        double magnitude = PolicyOps.Magnitude(op, rng.Next(bins), bins, wide: true, t.Width, t.Height);
        if (PolicyOps.Signed(op) && rng.Next(2) == 0) magnitude = -magnitude;
        PolicyOps.Apply(t, op, magnitude);
    }
}
