namespace Podium.Config;

/// <summary>The YAML name of an option or enum value where the snake_case of its C# name is not it (w2h_ratio, reflect_101).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class KeyAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
