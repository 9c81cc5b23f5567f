namespace Podium.Tracking;

/// <summary>Runs side by side: every figure any of them has (best epoch's and final evaluation's, "NAME.KEY") and only the
/// hyperparameters whose values differ (a key one run lacks differs), as <c>podium runs compare</c> and the dashboard show
/// them.</summary>
public sealed record RunComparison(IReadOnlyList<RunDetails> Runs, IReadOnlyList<(string Figure, IReadOnlyList<double?> Values)> Figures,
    IReadOnlyList<(string Key, IReadOnlyList<string?> Values)> Differing, int ParamCount)
{
    public static RunComparison Of(IReadOnlyList<RunDetails> runs)
    {
        var figures = runs.SelectMany(d => d.Results.SelectMany(r => r.Value.Keys.Select(k => (Name: r.Key, Key: k)))).Distinct()
            .OrderBy(f => f.Name, StringComparer.Ordinal).ThenBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => ($"{f.Name}.{f.Key}", (IReadOnlyList<double?>)[.. runs.Select(d =>
                d.Results.TryGetValue(f.Name, out var values) && values.TryGetValue(f.Key, out var v) ? v : (double?)null)]));
        var differing = runs.SelectMany(d => d.Params.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(k => (k, (IReadOnlyList<string?>)[.. runs.Select(d => d.Params.GetValueOrDefault(k))]))
            .Where(p => p.Item2.Distinct().Count() > 1);
        return new RunComparison(runs, [.. figures], [.. differing], runs.Count == 0 ? 0 : runs.Max(d => d.Params.Count));
    }
}
