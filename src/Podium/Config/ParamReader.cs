using System.Globalization;

namespace Podium.Config;

/// <summary>Typed reads of a transform's parameter map (from YAML), with errors that name the key.</summary>
public sealed class ParamReader(string where, IDictionary<string, object?> values)
{
    private readonly HashSet<string> _used = [];

    public double Double(string key, double fallback) => Get(key, fallback, v => double.Parse(Scalar(key, v),
        CultureInfo.InvariantCulture));
    public int Int(string key, int fallback) => Get(key, fallback, v => int.Parse(Scalar(key, v), CultureInfo.InvariantCulture));
    public double[] Doubles(string key, double[] fallback) => Get(key, fallback, v => v is IEnumerable<object> list
        ? list.Select(x => double.Parse(Scalar(key, x), CultureInfo.InvariantCulture)).ToArray()
        : [double.Parse(Scalar(key, v), CultureInfo.InvariantCulture)]);

    public bool Bool(string key, bool fallback) => Get(key, fallback, v => Scalar(key, v).ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw new FormatException(),
    });

    public string String(string key, string fallback) => Get(key, fallback, v => Scalar(key, v));

    /// <summary>The raw YAML value (a list or map), for parameters that nest transforms.</summary>
    public object? Raw(string key)
    {
        _used.Add(key);
        return values.TryGetValue(key, out var v) ? v : null;
    }

    /// <summary>Fails on any key that no read asked for: a misspelt parameter must not be ignored.</summary>
    public void EnsureAllUsed(IEnumerable<string> known)
    {
        foreach (var key in values.Keys)
            if (!_used.Contains(key))
            {
                var hint = ConfigLoader.Suggest(key, known);
                throw new ConfigException($"{where}: unknown parameter '{key}'" +
                    (hint is null ? $" (known: {string.Join(", ", known)})" : $" (did you mean '{hint}'?)"));
            }
    }

    private T Get<T>(string key, T fallback, Func<object, T> parse)
    {
        _used.Add(key);
        if (!values.TryGetValue(key, out var v) || v is null) return fallback;
        try { return parse(v); }
        catch (FormatException) { throw new ConfigException($"{where}: parameter '{key}' has a bad value '{Show(v)}'"); }
        catch (OverflowException) { throw new ConfigException($"{where}: parameter '{key}' is out of range: '{Show(v)}'"); }
    }

    private string Scalar(string key,
        object v) => v as string ?? throw new ConfigException($"{where}: parameter '{key}' must be a number, got '{Show(v)}'");
    private static string Show(object v) => v is IEnumerable<object> l ? "[" + string.Join(", ", l) + "]" : v.ToString() ?? "";
}
