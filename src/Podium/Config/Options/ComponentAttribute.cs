namespace Podium.Config;

/// <summary>
/// Registers a component's options record under its config name. The record's base type says the kind (a loss's derives from
/// LossOptions, an optimizer's from OptimizerOptions); <see cref="ComponentRegistry{TOptions}"/> finds every record of its kind.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ComponentAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
