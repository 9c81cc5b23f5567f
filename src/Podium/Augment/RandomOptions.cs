using Podium.Config;

namespace Podium.Augment;

/// <summary>The options every <see cref="RandomTransform"/> has: the probability of applying it (albumentations' <c>p</c>).</summary>
public abstract record RandomOptions : ComponentOptions
{
    /// <summary>0.5 unless the transform's Options constructor says otherwise (crops and policies apply always).</summary>
    [Within(0, 1)] public double P { get; init; } = 0.5;
}
