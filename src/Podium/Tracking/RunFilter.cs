using System.Globalization;
using System.Text.RegularExpressions;

namespace Podium.Tracking;

/// <summary>Which runs <c>podium runs</c> lists: a name pattern (* and ?), a tag, a status, a start date, hyperparameter values,
/// conditions on best-epoch figures ("val_accuracy&gt;0.8"), the figure to sort by (highest first, runs without it last; else
/// newest first) and how many.</summary>
public sealed partial record RunFilter
{
    public string? Name { get; init; }
    public string? Tag { get; init; }
    public string? Status { get; init; }
    public DateTime? Since { get; init; }
    public IReadOnlyList<string> Where { get; init; } = [];
    /// <summary>Hyperparameters the runs must have, KEY=VALUE (flat config keys, e.g. train.optimizer.name=sgd).</summary>
    public IReadOnlyList<string> Params { get; init; } = [];
    public string? Sort { get; init; }
    public bool Ascending { get; init; }
    public int? Limit { get; init; }

    public static readonly string[] Statuses = ["running", "finished", "failed", "killed"];

    /// <summary>The <see cref="Where"/> conditions, parsed; a malformed one is one line naming it.</summary>
    public IReadOnlyList<Func<RunRecord, bool>> Conditions() => [.. Where.Select(Parse)];

    private static Func<RunRecord, bool> Parse(string condition)
    {
        var m = ConditionPattern().Match(condition);
        if (!m.Success || !double.TryParse(m.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new PodiumException($"--where {condition}: expected FIGURE OP NUMBER, e.g. val_accuracy>0.8 (OP: > >= < <= = !=)");
        var (key, op) = (m.Groups[1].Value, m.Groups[2].Value);
        return r => r.Best.TryGetValue(key, out var v) && op switch
        {
            ">" => v > value,
            ">=" => v >= value,
            "<" => v < value,
            "<=" => v <= value,
            "!=" => v != value,
            _ => v == value,
        };
    }

    [GeneratedRegex(@"^\s*([A-Za-z_][\w.]*)\s*(>=|<=|!=|>|<|==?)\s*(\S+)\s*$")]
    private static partial Regex ConditionPattern();
}
