namespace Podium.Config;

/// <summary>An option value with its own YAML form (several shapes, like class_weights: none | balanced | a list).</summary>
public interface IOptionValue
{
    /// <summary>The value as YAML would write it: text, a number, or a list of them.</summary>
    object ToYaml();
}
