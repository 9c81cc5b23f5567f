using static Podium.Platform.Invariant;

namespace Podium.Config;

/// <summary>The number is zero or more.</summary>
public sealed class NonNegativeAttribute : RuleAttribute
{
    public override string? Problem(double v) => v >= 0 ? null : F($"must not be negative, got {v}");
}
