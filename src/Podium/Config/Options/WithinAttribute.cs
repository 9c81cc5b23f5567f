using static Podium.Platform.Invariant;

namespace Podium.Config;

/// <summary>The number lies in [lo, hi], or in [lo, hi) when <paramref name="upperOpen"/>.</summary>
public sealed class WithinAttribute(double lo, double hi, bool upperOpen = false) : RuleAttribute
{
    public override string? Problem(double v) => v >= lo && (upperOpen ? v < hi : v <= hi) ? null
        : F($"must be in [{lo}, {hi}{(upperOpen ? ")" : "]")}, got {v}");
}
