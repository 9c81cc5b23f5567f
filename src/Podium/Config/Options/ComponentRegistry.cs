using System.Reflection;

namespace Podium.Config;

/// <summary>
/// The components of one kind (losses, optimizers, models, ...): every non-abstract options record deriving from
/// <typeparamref name="TOptions"/> marked <see cref="ComponentAttribute"/>, or registered under each of its variants' names as an
/// <see cref="IComponentFamily"/>. Binds a <see cref="ComponentConfig"/> section into the
/// named component's record with <see cref="OptionBinder"/>; errors name the section (<c>train.loss: gamma must ...</c>).
/// </summary>
public sealed class ComponentRegistry<TOptions> where TOptions : ComponentOptions
{
    private readonly Dictionary<string, Type> _types;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TOptions> _defaults = new();
    private readonly string _kind;
    private readonly string _defaultName;

    /// <param name="kind">What one is called in messages (loss, optimizer).</param>
    /// <param name="defaultName">The component a section without a name gets.</param>
    public ComponentRegistry(string kind, string defaultName)
    {
        _kind = kind;
        _defaultName = defaultName;
        _types = typeof(TOptions).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(TOptions).IsAssignableFrom(t))
            .SelectMany(t => RegisteredNames(t).Select(name => (name, t)))
            .ToDictionary(x => x.name, x => x.t);
        if (!_types.ContainsKey(defaultName)) throw new InvalidOperationException($"no {kind} named {defaultName}");
    }

    public IReadOnlyList<string> Names => [.. _types.Keys.Order()];

    private static IEnumerable<string> RegisteredNames(Type type)
    {
        if (type.GetCustomAttribute<ComponentAttribute>() is { } single) return [single.Name];
        if (!typeof(IComponentFamily).IsAssignableFrom(type)) return [];
        var names = type.GetProperty(nameof(IComponentFamily.Names), BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
        return names as IReadOnlyCollection<string> ?? throw new InvalidOperationException($"{type.FullName}: no static Names");
    }

    /// <summary>The options record type registered as <paramref name="name"/>; an unknown name is a config error at
    /// <paramref name="key"/>.name with the nearest names.</summary>
    public Type OptionsType(string name, string key) => _types.TryGetValue(name, out var type) ? type
        : throw new ConfigException($"{key}.name: unknown {_kind} '{name}' {ConfigLoader.OneOfHint(name, Names)}");

    /// <summary>The options of <paramref name="name"/> with every default (bound once; records are immutable, so shared).</summary>
    public TOptions Defaults(string name, string key) => _defaults.GetOrAdd(name, n => Options(new ComponentConfig(n), key));

    /// <summary>The section with its options bound (and its name filled in); <paramref name="key"/> names it in errors.</summary>
    public ComponentConfig Bind(ComponentConfig section, string key)
    {
        if (section.Options is TOptions) return section;
        var name = section.Name.Length == 0 ? _defaultName : section.Name;
        var type = OptionsType(name, key);
        var binding = new OptionBinding(Nested: (t, raw, option) => Nested(t, raw, $"{key}.{option}"));
        try { return section with { Name = name, Options = OptionBinder.Bind(type, section.Parameters, binding) }; }
        catch (ConfigException e) when (!e.Message.StartsWith(key, StringComparison.Ordinal))
        {
            throw new ConfigException($"{key}: {e.Message}");
        }
    }

    /// <summary>The bound options of a section (bound now if the config was not resolved).</summary>
    public TOptions Options(ComponentConfig section, string key) => (TOptions)Bind(section, key).Options!;

    /// <summary>Options that hold components of the same kind (a sum's terms): a list of sections, each bound in turn.</summary>
    private object Nested(Type type, object raw, string key)
    {
        if (type != typeof(IReadOnlyList<ComponentConfig>)) throw new InvalidOperationException($"no reader for {type.Name} ({key})");
        if (raw is not IEnumerable<object> list) throw new ConfigException($"{key} must be a list of {_kind} sections");
        return list.Select((item, i) => Bind(ComponentConfigYaml.FromRaw(item, $"{key}[{i}]"), $"{key}[{i}]")).ToList();
    }
}
