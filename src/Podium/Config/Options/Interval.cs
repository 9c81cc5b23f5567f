using static Podium.Platform.Invariant;

namespace Podium.Config;

/// <summary>
/// A closed range [Lo, Hi] a component samples from (albumentations' (min, max) pairs). In YAML it is <c>[lo, hi]</c>, or
/// one number read as the property's <see cref="OneNumberAttribute"/> says.
/// </summary>
public readonly record struct Interval(double Lo, double Hi)
{
    public override string ToString() => F($"[{Lo}, {Hi}]");
}
