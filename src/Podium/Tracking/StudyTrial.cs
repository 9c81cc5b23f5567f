namespace Podium.Tracking;

/// <summary>One trial of a study as Optuna records it: its number in the study, state (RUNNING, COMPLETE, PRUNED, FAIL,
/// WAITING), objective value, parameters (stored form: numbers and choice indexes), intermediate values by step (the epoch's
/// monitored figure), start and end, and system attributes (JSON by key: a run id, a pruner's rungs, a retry's origin).</summary>
public sealed record StudyTrial(int Id, int Number, string State, double? Value, IReadOnlyDictionary<string, double> Params,
    IReadOnlyDictionary<int, double> Intermediate, DateTime? Started, DateTime? Completed,
    IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?>? Attributes = null)
{
    /// <summary>The trials that finished with a value (the store reads infinities back as no value).</summary>
    public static List<StudyTrial> Finished(IEnumerable<StudyTrial> trials) =>
        [.. trials.Where(t => t.State == "COMPLETE" && t.Value is { } v && double.IsFinite(v))];

    /// <summary>The finished trial with the best value, or null.</summary>
    public static StudyTrial? Best(IEnumerable<StudyTrial> trials, bool maximize)
    {
        var complete = Finished(trials);
        return complete.Count == 0 ? null : maximize ? complete.MaxBy(t => t.Value) : complete.MinBy(t => t.Value);
    }

    /// <summary>A system attribute, or null.</summary>
    public System.Text.Json.Nodes.JsonNode? Attribute(string key) => Attributes is { } a && a.TryGetValue(key, out var v) ? v : null;
}
