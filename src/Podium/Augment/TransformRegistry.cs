using System.Reflection;
using System.Runtime.ExceptionServices;
using Podium.Config;

namespace Podium.Augment;

/// <summary>
/// Builds pipelines from the config's <c>augment:</c> lists, by snake_case transform name:
/// <c>- random_resized_crop: {size: 112, scale: [0.35, 1.0]}</c>. Containers nest:
/// <c>- one_of: {p: 0.5, transforms: [...]}</c>. Every transform registers itself with <see cref="TransformAttribute"/>; its
/// nested Options record holds its parameters, defaults and rules, so a config and C# make the same transform. Unknown names
/// and parameters, and values out of range, fail before training with the list position and key.
/// </summary>
public static class TransformRegistry
{
    private sealed record Entry(Type Transform, Type Options, ConstructorInfo Constructor);

    /// <summary>normalize is the pipeline's final step: read by Build, not added as a transform.</summary>
    private sealed record NormalizeOptions : ComponentOptions
    {
        public double[]? Mean { get; init; }
        public double[]? Std { get; init; }
    }

    private const string NormalizeName = "normalize";

    private static readonly Dictionary<string, Entry> Entries = Discover();

    /// <summary>Every registered name (aliases included), normalize too.</summary>
    public static IReadOnlyCollection<string> Names => [.. Entries.Keys, NormalizeName];

    /// <summary>The transform class and its options record registered under <paramref name="name"/>.</summary>
    public static (Type Transform, Type Options) Lookup(string name) =>
        Entries.TryGetValue(name, out var e) ? (e.Transform, e.Options) : throw new ArgumentException($"unknown transform '{name}'");

    /// <summary>A pipeline item as a config's list holds it (<c>{name: {key: value, ...}}</c>), for pipelines made in code.</summary>
    public static object Item(string name, params (string Key, string Value)[] options) =>
        new Dictionary<object, object> { [name] = options.ToDictionary(o => (object)o.Key, o => (object)o.Value) };

    /// <summary>Builds a pipeline; <paramref name="section"/> names it in errors (e.g. augment.train).</summary>
    public static Pipeline Build(IReadOnlyList<object> items, string section, int imgSize, double[] mean, double[] std)
    {
        var normalize = new Normalize(mean, std);
        var transforms = BuildList(items.ToList()!, section, imgSize, o =>
            normalize = new Normalize(o.Mean ?? mean, o.Std ?? std));
        return new Pipeline(new Compose(transforms), normalize, imgSize, imgSize);
    }

    private static Dictionary<string, Entry> Discover()
    {
        var entries = new Dictionary<string, Entry>();
        foreach (var type in typeof(TransformRegistry).Assembly.GetTypes())
            foreach (var attribute in type.GetCustomAttributes<TransformAttribute>())
            {
                var options = type.GetNestedType("Options") ?? throw new InvalidOperationException($"{type.Name} has no Options record");
                var ctor = type.GetConstructor([options])
                    ?? throw new InvalidOperationException($"{type.Name} has no ({type.Name}.Options) constructor");
                if (!entries.TryAdd(attribute.Name, new Entry(type, options, ctor)))
                    throw new InvalidOperationException($"transform name '{attribute.Name}' is registered twice");
            }
        return entries;
    }

    private static List<ITransform> BuildList(IReadOnlyList<object?> items, string section, int imgSize,
        Action<NormalizeOptions>? onNormalize)
    {
        var transforms = new List<ITransform>();
        for (int i = 0; i < items.Count; i++)
        {
            string where = $"{section}[{i}]";
            var (name, raw) = items[i] switch
            {
                string bare => (bare, (object?)null),
                IDictionary<object, object> d when d.Count == 1 => (d.First().Key.ToString()!, d.First().Value),
                _ => throw new ConfigException($"{where}: each item is one transform name with its parameters, e.g. - horizontal_flip: " +
                    "{p: 0.5}"),
            };
            var values = raw switch
            {
                null => new Dictionary<string, object?>(),
                IDictionary<object, object> d => d.ToDictionary(kv => kv.Key.ToString()!, kv => (object?)kv.Value),
                _ => throw new ConfigException($"{where}.{name}: parameters must be a mapping, e.g. {{p: 0.5}}"),
            };
            string at = $"{where}.{name}";
            if (name == NormalizeName)
            {
                if (onNormalize is null) throw new ConfigException($"{where}: normalize belongs at the top level of a pipeline");
                onNormalize(Prefixed(at, section, () => OptionBinder.Bind<NormalizeOptions>(values)));
                continue;
            }
            if (!Entries.TryGetValue(name, out var entry))
            {
                throw new ConfigException($"{where}: unknown transform '{name}'{ConfigLoader.KnownHint(name, Names.Order())}");
            }
            var binding = new OptionBinding(imgSize, (type, value, key) => Nested(type, value, $"{at}.{key}", imgSize));
            transforms.Add(Prefixed(at, section, () => (ITransform)Construct(entry, OptionBinder.Bind(entry.Options, values, binding))));
        }
        return transforms;
    }

    private static object Nested(Type type, object raw, string where, int imgSize) =>
        type != typeof(IReadOnlyList<ITransform>) ? throw new InvalidOperationException($"no reader for {type.Name}")
        : raw is IEnumerable<object> list ? BuildList(list.ToList()!, where, imgSize, null)
        : throw new ConfigException("transforms must be a list");

    private static object Construct(Entry entry, ComponentOptions options)
    {
        try { return entry.Constructor.Invoke([options]); }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    /// <summary>Runs <paramref name="make"/>, naming <paramref name="at"/> in its errors (nested items already name theirs).</summary>
    private static T Prefixed<T>(string at, string section, Func<T> make)
    {
        try { return make(); }
        catch (ConfigException e) when (!e.Message.StartsWith(section, StringComparison.Ordinal))
        {
            throw new ConfigException($"{at}: {e.Message}");
        }
    }
}
