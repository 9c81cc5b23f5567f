using System.Collections.Concurrent;
using System.Reflection;

namespace Podium.Config;

/// <summary>Checks a <see cref="ComponentOptions"/> record against the rules its properties state and its own Validate.</summary>
public static class OptionRules
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<OptionProperty>> Cache = new();

    /// <summary>The settable options of a record type: the base records' first (what every component of the kind has), then each
    /// record's own in declaration order. Saved configs and "known:" lists read in this order.</summary>
    public static IReadOnlyList<OptionProperty> Properties(Type type) => Cache.GetOrAdd(type, t => t
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
        .OrderBy(p => Depth(p.DeclaringType!))
        .Select(OptionProperty.Of).ToList());

    private static int Depth(Type t) => t.BaseType is null ? 0 : 1 + Depth(t.BaseType);

    /// <summary>Throws a <see cref="ConfigException"/> ("KEY must ...") on the first rule the options break.</summary>
    public static T Check<T>(T options) where T : ComponentOptions
    {
        foreach (var p in Properties(options.GetType()))
            if (Problem(p, p.Property.GetValue(options)) is { } problem) throw new ConfigException($"{p.Key} {problem}");
        options.Validate();
        return options;
    }

    private static string? Problem(OptionProperty p, object? value) => value switch
    {
        null => p.ImageSize ? "must be set (a config file takes data.img_size)" : null,
        Interval r when r.Lo > r.Hi => "must be a number or [min, max] with min <= max",
        Interval r => Numbers(p, r.Lo, r.Hi),
        HeightWidth s when s.Height < 1 || s.Width < 1 => $"must be a positive number or [height, width], got {s}",
        double d => Numbers(p, d),
        int i => Numbers(p, i),
        long l => Numbers(p, l),
        _ => null,
    };

    private static string? Numbers(OptionProperty p, params double[] values)
    {
        foreach (var v in values)
            foreach (var rule in p.Rules)
                if (rule.Problem(v) is { } problem) return problem;
        return null;
    }
}
