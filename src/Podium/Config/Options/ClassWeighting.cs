using System.Globalization;

namespace Podium.Config;

/// <summary>A loss's per-class weights: none, balanced (computed from the class counts), or one weight per class.</summary>
public sealed record ClassWeighting : IOptionValueOf<ClassWeighting>
{
    public static readonly ClassWeighting None = new() { Kind = "none" };
    public static readonly ClassWeighting Balanced = new() { Kind = "balanced" };

    /// <summary>none, balanced or listed.</summary>
    public string Kind { get; private init; } = "none";

    /// <summary>The listed weights, one per class (listed only).</summary>
    public IReadOnlyList<double> Weights { get; private init; } = [];

    public static ClassWeighting Listed(IEnumerable<double> weights) => new() { Kind = "listed", Weights = weights.ToList() };

    public static ClassWeighting Read(object raw, string key) => raw switch
    {
        "none" => None,
        "balanced" => Balanced,
        IEnumerable<object> list => Listed(list.Select(v => double.TryParse(v as string, NumberStyles.Float, CultureInfo.InvariantCulture,
            out var w) && w >= 0 ? w : throw new ConfigException($"{key}: '{v}' is not a non-negative number"))),
        _ => throw new ConfigException($"{key}: '{raw}': none, balanced, or a list of weights, one per class"),
    };

    public object ToYaml() => Kind == "listed" ? Weights.ToList() : Kind;

    public bool Equals(ClassWeighting? other) => other is not null && Kind == other.Kind && Weights.SequenceEqual(other.Weights);

    public override int GetHashCode() => Kind.GetHashCode();
}
