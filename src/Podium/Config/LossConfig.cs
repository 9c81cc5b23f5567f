namespace Podium.Config;

public sealed record LossConfig
{
    /// <summary>cross_entropy | focal | soft_f1 | bce | dice | bce_dice | sum (of terms)</summary>
    public string Name { get; init; } = "cross_entropy";
    /// <summary>focal: the focusing exponent γ.</summary>
    public double Gamma { get; init; } = 2.0;
    /// <summary>dice, bce_dice: the smoothing term of the Dice ratio.</summary>
    public double Smooth { get; init; } = 1.0;
    /// <summary>sum: the terms, each a loss with its weight.</summary>
    public IReadOnlyList<LossConfig> Terms { get; init; } = [];
    /// <summary>arcface (additive angle, radians) and cosface (subtracted cosine): the margin m.</summary>
    public double Margin { get; init; } = 0.5;
    /// <summary>This loss's weight as a term of a sum.</summary>
    public double Weight { get; init; } = 1.0;
    public double LabelSmoothing { get; init; }
    /// <summary>Per-class loss weights: none, balanced (n / (K · n_c), scikit-learn's), or a list, one per class.</summary>
    public object ClassWeights { get; init; } = "none";
    /// <summary>balanced: the weights are raised to this power (0.5 softens them).</summary>
    public double ClassWeightPower { get; init; } = 1.0;
}
