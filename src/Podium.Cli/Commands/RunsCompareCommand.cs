using System.ComponentModel;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class RunsCompareCommand : PodiumCommand<RunsCompareCommand.Settings>
{
    public sealed class Settings : RunsSettings
    {
        [CommandArgument(0, "<IDS>")]
        [Description("Two or more run ids (or unique starts of them)")]
        public string[] Ids { get; init; } = [];
    }

    protected override int Run(Settings s)
    {
        if (s.Ids.Length < 2) throw new PodiumException("runs compare: give two or more run ids");
        var store = s.OpenStore();
        var runs = s.Ids.Select(store.Details).ToList();
        var columns = (IReadOnlyList<string>)["", .. runs.Select(d => $"{d.Run.Id} {d.Run.Name}")];
        // Figures: the best epoch's and the final evaluation's, every key any run has.
        var figures = runs.SelectMany(d => d.Results.SelectMany(r => r.Value.Keys.Select(k => (Name: r.Key, Key: k)))).Distinct()
            .OrderBy(f => f.Name, StringComparer.Ordinal).ThenBy(f => f.Key, StringComparer.Ordinal).ToList();
        List<IReadOnlyList<string>> rows =
        [
            ["status", .. runs.Select(d => d.Run.Status)],
            ["duration", .. runs.Select(d => RunsTable.Duration(d.Run.Duration))],
        ];
        rows.AddRange(figures.Select(f => (IReadOnlyList<string>)[$"{f.Name}.{f.Key}", .. runs.Select(d =>
            d.Results.TryGetValue(f.Name, out var values) && values.TryGetValue(f.Key, out var v) ? RunsTable.Number(v) : "")]));
        // Hyperparameters: only the keys whose values differ (a key one run lacks differs).
        var keys = runs.SelectMany(d => d.Params.Keys).Distinct().Order(StringComparer.Ordinal);
        var differing = keys.Where(k => runs.Select(d => d.Params.GetValueOrDefault(k)).Distinct().Count() > 1).ToList();
        rows.AddRange(differing.Select(k => (IReadOnlyList<string>)[k, .. runs.Select(d => d.Params.GetValueOrDefault(k) ?? "-")]));
        RunsTable.Write(s.Format, columns, rows);
        if (s.Format == "table")
            Log($"{differing.Count} hyperparameter(s) differ of {runs.Max(d => d.Params.Count)}; the others are the same in every run");
        return 0;
    }
}
