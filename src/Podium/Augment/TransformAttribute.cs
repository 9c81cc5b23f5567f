namespace Podium.Augment;

/// <summary>
/// Registers a transform under its config name (several for aliases). The class declares a nested <c>Options</c> record
/// (its parameters, defaults and rules) and a constructor that takes it; <see cref="TransformRegistry"/> finds both.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class TransformAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
