using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Podium.Config;

/// <summary>
/// Reads and writes <see cref="ModelConfig"/> as one flat map: the keys every model has into its properties (each read as its
/// type, as any section's), the rest into <see cref="ModelConfig.Parameters"/> for the family's options record to bind at
/// resolve. A resolved section is written with the family's options, every default included, after its name.
/// </summary>
public sealed class ModelConfigYaml : IYamlTypeConverter
{
    private static readonly Dictionary<string, PropertyInfo> Shared = typeof(ModelConfig).GetProperties()
        .Where(p => p.CanWrite && p.GetCustomAttribute<YamlIgnoreAttribute>() is null)
        .ToDictionary(p => UnderscoredNamingConvention.Instance.Apply(p.Name));

    /// <summary>The keys every model section has, whatever its family.</summary>
    public static IReadOnlyCollection<string> SharedKeys => Shared.Keys;

    public bool Accepts(Type type) => type == typeof(ModelConfig);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        if (parser.TryConsume<Scalar>(out var scalar) && scalar.Value is "" or "~" or "null")
            return new ModelConfig(); // "model:" with nothing under it
        if (scalar is not null) throw new YamlException(scalar.Start, scalar.End, "model must be a map (name: ..., pretrained: ...)");
        parser.Consume<MappingStart>();
        var config = new ModelConfig();
        var parameters = new Dictionary<string, object?>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Consume<Scalar>().Value;
            if (Shared.TryGetValue(key, out var property)) property.SetValue(config, rootDeserializer(property.PropertyType));
            else parameters[key] = rootDeserializer(typeof(object));
        }
        return config with { Parameters = parameters };
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer)
    {
        var config = (ModelConfig)value!;
        var family = new ComponentConfig(config.Name) { Parameters = config.Parameters, Options = config.Options };
        emitter.Emit(new MappingStart());
        foreach (var (key, raw) in ComponentConfigYaml.ToRaw(family))
        {
            emitter.Emit(new Scalar(key));
            serializer(raw, raw?.GetType() ?? typeof(object));
        }
        foreach (var (key, property) in Shared.Where(s => s.Key != "name"))
        {
            emitter.Emit(new Scalar(key));
            serializer(property.GetValue(config), property.PropertyType);
        }
        emitter.Emit(new MappingEnd());
    }
}
