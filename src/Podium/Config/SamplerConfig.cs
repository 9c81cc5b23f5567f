namespace Podium.Config;

/// <summary>How training batches are drawn: the first remedy for class imbalance.</summary>
public sealed record SamplerConfig
{
    /// <summary>random (each image once per epoch) | weighted (draws ∝ class count^-power, with replacement) | balanced (equal classes in
    /// every batch)</summary>
    public string Name { get; init; } = "random";
    /// <summary>weighted: 1 balances the classes, 0.5 goes halfway, 0 is plain random with replacement.</summary>
    public double Power { get; init; } = 1.0;
}
