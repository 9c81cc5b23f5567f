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

    /// <summary>Whether the parameter exists given the other parameters' values (config texts by key).</summary>
    public bool Active(IReadOnlyDictionary<string, string> texts) =>
        When.All(c => texts.TryGetValue(c.Key, out var v) && c.Value.Contains(v));
}
