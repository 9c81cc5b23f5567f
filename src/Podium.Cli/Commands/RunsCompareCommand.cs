using System.ComponentModel;
using Podium.Tracking;
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
        var compared = RunComparison.Of([.. s.Ids.Select(store.Details)]);
        var runs = compared.Runs;
        var columns = (IReadOnlyList<string>)["", .. runs.Select(d => $"{d.Run.Id} {d.Run.Name}")];
        List<IReadOnlyList<object?>> rows =
        [
            ["status", .. runs.Select(d => d.Run.Status)],
            ["duration", .. runs.Select(d => RunsTable.Duration(d.Run.Duration))],
        ];
        rows.AddRange(compared.Figures.Select(f => (IReadOnlyList<object?>)[f.Figure, .. f.Values.Select(v => (object?)v)]));
        rows.AddRange(compared.Differing.Select(p => (IReadOnlyList<object?>)[p.Key, .. p.Values.Select(v => v ?? "-")]));
        RunsTable.Write(s.Format, columns, rows);
        if (s.Format == "table")
            Log($"{compared.Differing.Count} hyperparameter(s) differ of {compared.ParamCount}; the others are the same in every run");
        return 0;
    }
}
