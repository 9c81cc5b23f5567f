namespace Podium.Config;

public sealed record UnfreezeStep
{
    /// <summary>The first epoch (1-based) these parameters train in.</summary>
    public int Epoch { get; init; }
    /// <summary>A regex on parameter names (default: every parameter).</summary>
    public string Pattern { get; init; } = ".*";
}
