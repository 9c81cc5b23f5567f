namespace Podium.Config;

/// <summary>
/// A config section that picks a component by name and gives it its own parameters, written flat in YAML:
/// <c>loss: {name: focal, gamma: 2}</c>. The component's <see cref="ComponentRegistry{TOptions}"/> binds the parameters into the
/// component's options record when the config is resolved (unknown keys refused, rules checked, every default filled); the
/// resolved config is saved with those options.
/// </summary>
public sealed record ComponentConfig
{
    public ComponentConfig() { }

    public ComponentConfig(string name) => Name = name;

    /// <summary>The registered name; empty: the section's default component.</summary>
    public string Name { get; init; } = "";

    /// <summary>The section's other keys as written (scalars as text, lists, maps).</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();

    /// <summary>The bound options, once the config is resolved.</summary>
    public ComponentOptions? Options { get; init; }

    /// <summary>This section, naming <paramref name="component"/> when it names none (a section given only parameters).</summary>
    public ComponentConfig OrNamed(string component) => Name.Length == 0 ? this with { Name = component } : this;
}
