namespace Podium.Config;

/// <summary>timm's Mixup arguments.</summary>
public sealed record BatchAugmentConfig
{
    public double MixupAlpha { get; init; }
    public double CutmixAlpha { get; init; }
    /// <summary>Probability that a batch is mixed at all.</summary>
    public double Prob { get; init; } = 1.0;
    /// <summary>With both alphas set: probability of CutMix rather than MixUp.</summary>
    public double SwitchProb { get; init; } = 0.5;
}
