namespace Podium.Augment;

/// <summary>AutoAugment (Cubuk et al. 2019) with its ImageNet policy: one of 25 sub-policies, two ops each with a probability and a
/// magnitude bin of 10.</summary>
[Transform("auto_augment")]
public sealed class AutoAugment(AutoAugment.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        public AutoAugmentPolicy Policy { get; init; } = AutoAugmentPolicy.Imagenet;
        public Options() => P = 1;
    }

    public AutoAugment() : this(new Options()) { }

    private const int Bins = 10;

    // (op, probability, magnitude bin) pairs, as torchvision's AutoAugmentPolicy.IMAGENET.
    private static readonly (PolicyOp Op, double P, int Bin)[][] ImageNet =
    [
        [(PolicyOp.Posterize, 0.4, 8), (PolicyOp.Rotate, 0.6, 9)],
        [(PolicyOp.Solarize, 0.6, 5), (PolicyOp.AutoContrast, 0.6, 0)],
        [(PolicyOp.Equalize, 0.8, 0), (PolicyOp.Equalize, 0.6, 0)],
        [(PolicyOp.Posterize, 0.6, 7), (PolicyOp.Posterize, 0.6, 6)],
        [(PolicyOp.Equalize, 0.4, 0), (PolicyOp.Solarize, 0.2, 4)],
        [(PolicyOp.Equalize, 0.4, 0), (PolicyOp.Rotate, 0.8, 8)],
        [(PolicyOp.Solarize, 0.6, 3), (PolicyOp.Equalize, 0.6, 0)],
        [(PolicyOp.Posterize, 0.8, 5), (PolicyOp.Equalize, 1.0, 0)],
        [(PolicyOp.Rotate, 0.2, 3), (PolicyOp.Solarize, 0.6, 8)],
        [(PolicyOp.Equalize, 0.6, 0), (PolicyOp.Posterize, 0.4, 6)],
        [(PolicyOp.Rotate, 0.8, 8), (PolicyOp.Color, 0.4, 0)],
        [(PolicyOp.Rotate, 0.4, 9), (PolicyOp.Equalize, 0.6, 0)],
        [(PolicyOp.Equalize, 0.0, 0), (PolicyOp.Equalize, 0.8, 0)],
        [(PolicyOp.Invert, 0.6, 0), (PolicyOp.Equalize, 1.0, 0)],
        [(PolicyOp.Color, 0.6, 4), (PolicyOp.Contrast, 1.0, 8)],
        [(PolicyOp.Rotate, 0.8, 8), (PolicyOp.Color, 1.0, 2)],
        [(PolicyOp.Color, 0.8, 8), (PolicyOp.Solarize, 0.8, 7)],
        [(PolicyOp.Sharpness, 0.4, 7), (PolicyOp.Invert, 0.6, 0)],
        [(PolicyOp.ShearX, 0.6, 5), (PolicyOp.Equalize, 1.0, 0)],
        [(PolicyOp.Color, 0.4, 0), (PolicyOp.Equalize, 0.6, 0)],
        [(PolicyOp.Equalize, 0.4, 0), (PolicyOp.Solarize, 0.2, 4)],
        [(PolicyOp.Solarize, 0.6, 5), (PolicyOp.AutoContrast, 0.6, 0)],
        [(PolicyOp.Invert, 0.6, 0), (PolicyOp.Equalize, 1.0, 0)],
        [(PolicyOp.Color, 0.6, 4), (PolicyOp.Contrast, 1.0, 8)],
        [(PolicyOp.Equalize, 0.8, 0), (PolicyOp.Equalize, 0.6, 0)],
    ];

    protected override void Run(AugmentTarget t, Random rng)
    {
        foreach (var (op, prob, bin) in ImageNet[rng.Next(ImageNet.Length)])
        {
            // Draw order as torchvision: the probability, then the sign.
            if (rng.NextDouble() > prob) continue;
            double magnitude = PolicyOps.Magnitude(op, bin, Bins, wide: false, t.Width, t.Height);
            if (PolicyOps.Signed(op) && rng.Next(2) == 0) magnitude = -magnitude;
            PolicyOps.Apply(t, op, magnitude);
        }
    }
}
