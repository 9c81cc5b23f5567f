namespace Podium.Config;

public sealed record EarlyStoppingConfig
{
    /// <summary>Epochs without improvement tolerated; null = no early stopping.</summary>
    public int? Patience { get; init; }
    /// <summary>An improvement smaller than this (absolute) does not count.</summary>
    public double MinDelta { get; init; }
}
