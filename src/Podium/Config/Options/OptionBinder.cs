using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Podium.Config;

/// <summary>
/// Reads a YAML map into a <see cref="ComponentOptions"/> record: starts from the record's defaults, sets each key given,
/// refuses unknown keys (with the nearest known one), fills <see cref="ImageSizeAttribute"/> options left unset, then checks
/// the record's rules. Errors are <see cref="ConfigException"/>s that name the key; the caller adds where the map is.
/// </summary>
public static class OptionBinder
{
    public static T Bind<T>(IReadOnlyDictionary<string, object?> values, OptionBinding? binding = null) where T : ComponentOptions =>
        (T)Bind(typeof(T), values, binding);

    public static ComponentOptions Bind(Type type, IReadOnlyDictionary<string, object?> values, OptionBinding? binding = null)
    {
        binding ??= new OptionBinding();
        var options = (ComponentOptions)(Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"{type.Name} needs a parameterless constructor"));
        var properties = OptionRules.Properties(type);
        foreach (var (key, raw) in values)
        {
            var p = properties.FirstOrDefault(x => x.Key == key);
            if (p is null)
                throw new ConfigException($"unknown parameter '{key}'{ConfigLoader.KnownHint(key, properties.Select(x => x.Key))}");
            if (raw is null) continue;
            Set(p.Property, options, Read(p, raw, binding));
        }
        if (binding.ImageSize is int size)
            foreach (var p in properties.Where(p => p.ImageSize && p.Property.GetValue(options) is null))
                Set(p.Property, options, Nullable.GetUnderlyingType(p.Type) == typeof(HeightWidth) ? HeightWidth.Square(size) : size);
        return OptionRules.Check(options);
    }

    /// <summary>The YAML name of an enum value: its <see cref="KeyAttribute"/>, else its snake_case name.</summary>
    public static string EnumKey(Enum value) =>
        value.GetType().GetField(value.ToString())?.GetCustomAttribute<KeyAttribute>()?.Name ?? OptionProperty.Snake(value.ToString());

    private static void Set(PropertyInfo p, object target, object? value)
    {
        try { p.SetValue(target, value); }
        catch (TargetInvocationException e) when (e.InnerException is not null) { ExceptionDispatchInfo.Throw(e.InnerException); }
    }

    private static object Read(OptionProperty p, object raw, OptionBinding binding)
    {
        var type = Nullable.GetUnderlyingType(p.Type) ?? p.Type;
        string key = p.Key;
        if (type == typeof(double)) return Number(key, raw);
        if (type == typeof(int)) return Whole(key, raw);
        if (type == typeof(long))
        {
            return long.TryParse(Scalar(key, raw), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l
                : throw BadValue(key, raw);
        }
        if (type == typeof(bool))
            return Scalar(key, raw).ToLowerInvariant() switch
            {
                "true" or "yes" or "on" => true,
                "false" or "no" or "off" => false,
                _ => throw BadValue(key, raw),
            };
        if (type == typeof(string)) return Scalar(key, raw);
        if (type.IsEnum) return EnumValue(type, key, Scalar(key, raw));
        if (type == typeof(double[]) || type == typeof(IReadOnlyList<double>))
            return raw is IEnumerable<object> list ? list.Select(x => Number(key, x)).ToArray() : new[] { Number(key, raw) };
        if (type == typeof(Interval))
        {
            if (raw is not IEnumerable<object> list) return (p.OneNumber ?? new OneNumberAttribute(OneNumber.Same)).Read(Number(key, raw));
            var v = list.Select(x => Number(key, x)).ToArray();
            return v.Length == 2 ? new Interval(v[0], v[1])
                : throw new ConfigException($"{key} must be a number or [min, max] with min <= max");
        }
        if (type == typeof(HeightWidth))
        {
            var v = raw is IEnumerable<object> list ? list.Select(x => Number(key, x)).ToArray() : [Number(key, raw)];
            if (v.Length is < 1 or > 2 || v.Any(x => x < 1))
                throw new ConfigException($"{key} must be a positive number or [height, width], got [{string.Join(", ", v)}]");
            return v.Length == 1 ? HeightWidth.Square((int)v[0]) : new HeightWidth((int)v[0], (int)v[1]);
        }
        if (typeof(IOptionValue).IsAssignableFrom(type))
        {
            var read = type.GetMethod("Read", BindingFlags.Public | BindingFlags.Static, [typeof(object), typeof(string)])
                ?? throw new InvalidOperationException($"{type.Name} has no static Read(object, string)");
            try { return read.Invoke(null, [raw, key])!; }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
        if (type == typeof(int[]) || type == typeof(IReadOnlyList<int>))
            return raw is IEnumerable<object> ints ? ints.Select(x => Whole(key, x)).ToArray() : new[] { Whole(key, raw) };
        return binding.Nested?.Invoke(type, raw, key) ?? throw new InvalidOperationException($"no reader for {type.Name} ({key})");
    }

    private static object EnumValue(Type type, string key, string text)
    {
        var values = Enum.GetValues(type).Cast<Enum>().ToList();
        var match = values.FirstOrDefault(v => EnumKey(v) == text);
        if (match is not null) return match;
        throw new ConfigException($"{key}: unknown value '{text}' {ConfigLoader.OneOfHint(text, values.Select(EnumKey))}");
    }

    private static double Number(string key, object raw)
    {
        var text = Scalar(key, raw);
        double v = double.NaN;
        // YAML's own spellings of NaN and infinity (.nan, .inf, -.Inf) are numbers too, refused below like any other.
        var yaml = text.TrimStart('+', '-').ToLowerInvariant() is ".nan" or ".inf";
        if (!yaml && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out v)) throw BadValue(key, raw);
        // NaN passes every range rule (its comparisons are all false) and 1e400 reads as infinity: neither is a setting.
        return double.IsFinite(v) ? v : throw new ConfigException($"{key} must be a finite number, got '{text}'");
    }

    private static int Whole(string key, object raw)
    {
        var text = Scalar(key, raw);
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
        throw double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && !text.Contains('.')
            ? new ConfigException($"parameter '{key}' is out of range: '{text}'")
            : BadValue(key, raw);
    }

    private static string Scalar(string key, object raw) =>
        raw as string ?? throw new ConfigException($"parameter '{key}' must be a single value, got '{Show(raw)}'");

    private static ConfigException BadValue(string key, object raw) => new($"parameter '{key}' has a bad value '{Show(raw)}'");

    private static string Show(object v) => v is IEnumerable<object> l ? "[" + string.Join(", ", l.Select(Show)) + "]" : v.ToString() ?? "";
}
