using System.Text.Json.Nodes;

namespace Podium.Tuning;

/// <summary>
/// One searched config key: its distribution, and the condition under which it exists (<see cref="When"/>: other parameters'
/// values, e.g. momentum only when train.optimizer.name is sgd). Values travel as Optuna stores them (a double: the number
/// itself, or a categorical choice's index), so a study is Optuna's as well as Podium's.
/// </summary>
public abstract record SearchParameter(string Key, IReadOnlyDictionary<string, IReadOnlyList<string>> When)
{
    /// <summary>The distribution as Optuna's <c>distribution_json</c> (name and attributes).</summary>
    public abstract JsonObject Distribution();

    /// <summary>The config value (YAML text, as <c>--set</c> takes it) for a stored value.</summary>
    public abstract string Text(double value);

    /// <summary>Whether a stored value lies in the distribution (on its grid, for steps and choices).</summary>
    public abstract bool Contains(double value);

    /// <summary>A parameter from Optuna's distribution JSON (as a trial recorded it), unconditional.</summary>
    public static SearchParameter FromOptuna(string key, string json)
    {
        var node = JsonNode.Parse(json)!;
        var a = node["attributes"]!;
        var none = new Dictionary<string, IReadOnlyList<string>>();
        return node["name"]!.GetValue<string>() switch
        {
            "FloatDistribution" => new FloatParameter(key, a["low"]!.GetValue<double>(), a["high"]!.GetValue<double>(),
                a["log"]!.GetValue<bool>(), a["step"]?.GetValue<double>(), none),
            "IntDistribution" => new IntParameter(key, a["low"]!.GetValue<long>(), a["high"]!.GetValue<long>(), a["log"]!.GetValue<bool>(),
                a["step"]!.GetValue<long>(), none),
            "CategoricalDistribution" => new CategoricalParameter(key, [.. a["choices"]!.AsArray().Select(c => c is JsonValue v
                && v.TryGetValue<string>(out var text) ? text : c?.ToJsonString() ?? "null")], none),
            var other => throw new PodiumException($"{key}: Optuna distribution {other} is not one Podium reads"),
        };
    }

    /// <summary>Whether the parameter exists given the other parameters' values (config texts by key).</summary>
    public bool Active(IReadOnlyDictionary<string, string> texts) =>
        When.All(c => texts.TryGetValue(c.Key, out var v) && c.Value.Contains(v));
}
