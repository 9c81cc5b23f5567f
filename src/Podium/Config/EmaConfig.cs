namespace Podium.Config;

public sealed record EmaConfig
{
    /// <summary>e.g. 0.999 (a few thousand updates) to 0.9999 (long runs); null = off.</summary>
    public double? Decay { get; init; }
    /// <summary>Ramp the decay as min(decay, (1 + n)/(10 + n)) over the first updates.</summary>
    public bool Warmup { get; init; } = true;
}
