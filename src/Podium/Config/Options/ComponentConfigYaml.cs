using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Podium.Config;

/// <summary>
/// Reads and writes a <see cref="ComponentConfig"/> as one flat YAML map (<c>{name: focal, gamma: 2}</c>) or a bare name
/// (<c>focal</c>). A bound section is written with its options, every default included.
/// </summary>
public sealed class ComponentConfigYaml : IYamlTypeConverter
{
    public bool Accepts(Type type) => type == typeof(ComponentConfig);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            bool isNull = scalar.Value.Length == 0 || scalar.IsPlainImplicit && scalar.Value is "~" or "null" or "Null" or "NULL";
            return isNull ? null : new ComponentConfig(scalar.Value);
        }
        var map = rootDeserializer(typeof(Dictionary<object, object?>)) as Dictionary<object, object?> ?? [];
        return FromRaw(map, "");
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer)
    {
        if (value is ComponentConfig section) serializer(ToRaw(section), typeof(Dictionary<string, object?>));
        else emitter.Emit(new Scalar("null")); // an empty plain scalar comes out quoted from a converter
    }

    /// <summary>A section from raw YAML: a name, or a map with a name and parameters.</summary>
    public static ComponentConfig FromRaw(object? raw, string key) => raw switch
    {
        string name => new ComponentConfig(name),
        IDictionary<object, object?> map => new ComponentConfig
        {
            Name = NameIn(map, key),
            Parameters = map.Where(kv => kv.Key.ToString() is not ("name" or "type"))
                .ToDictionary(kv => kv.Key.ToString()!, kv => kv.Value),
        },
        _ => throw new ConfigException($"{key} must be a name or a map with a name and its parameters"),
    };

    /// <summary>The component a map names: <c>name</c>, or <c>type</c> (what model.head has always called it).</summary>
    private static string NameIn(IDictionary<object, object?> map, string key)
    {
        bool named = map.TryGetValue("name", out var name), typed = map.TryGetValue("type", out var type);
        string at = key.Length == 0 ? "" : key + ".";
        if (named && typed) throw new ConfigException($"{at}name and {at}type both given: they are the same key, give one");
        var value = named ? name : typed ? type : "";
        return value as string ?? throw new ConfigException($"{at}{(named ? "name" : "type")} must be a name");
    }

    /// <summary>The section as plain YAML values: its name, then its bound options (or its parameters as written).</summary>
    public static Dictionary<string, object?> ToRaw(ComponentConfig section)
    {
        var raw = new Dictionary<string, object?> { ["name"] = section.Name };
        if (section.Options is null)
            foreach (var (k, v) in section.Parameters) raw[k] = v;
        else
            foreach (var p in OptionRules.Properties(section.Options.GetType()))
                if (Plain(p.Property.GetValue(section.Options)) is { } v) raw[p.Key] = v;
        return raw;
    }

    private static object? Plain(object? value) => value switch
    {
        null => null,
        string or bool or int or long or double => value,
        Enum e => OptionBinder.EnumKey(e),
        Interval r => new[] { Plain(r.Lo), Plain(r.Hi) },
        HeightWidth s => new[] { s.Height, s.Width },
        IOptionValue v => v.ToYaml(),
        ComponentConfig c => ToRaw(c),
        System.Collections.IEnumerable list => list.Cast<object?>().Select(Plain).ToList(),
        _ => value.ToString(),
    };
}
