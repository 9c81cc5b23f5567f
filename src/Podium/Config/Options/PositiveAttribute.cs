using static Podium.Platform.Invariant;

namespace Podium.Config;

/// <summary>The number is greater than zero.</summary>
public sealed class PositiveAttribute : RuleAttribute
{
    public override string? Problem(double v) => v > 0 ? null : F($"must be positive, got {v}");
}
