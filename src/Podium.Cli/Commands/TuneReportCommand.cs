using System.ComponentModel;
using Podium.Tracking;
using Podium.Tuning;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class TuneReportCommand : PodiumCommand<TuneReportCommand.Settings>
{
    public sealed class Settings : StoreSettings
    {
        [CommandArgument(0, "<STUDY>")]
        [Description("The study's name")]
        public string Study { get; init; } = "";

        [CommandOption("--out <DIR>")]
        [Description("Where report.html and its PNGs go (default: runs/tune-STUDY/report)")]
        public string? Out { get; init; }
    }

    protected override int Run(Settings s)
    {
        var report = StudyReport.Of(StudyStore.Open(s.OpenStore()), s.Study);
        var html = report.Write(s.Out ?? Path.Combine("runs", "tune-" + s.Study, "report"));
        var counts = string.Join(", ", report.Trials.GroupBy(t => t.State).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}"));
        Log($"study {report.Study}: {report.Trials.Count} trial(s) ({counts})");
        if (report.Best is { } best)
            Log(F($"best: trial {best.Number}, value {best.Value:G6}: ") + string.Join(", ", report.Parameters
                .Where(p => best.Params.ContainsKey(p.Key)).Select(p => $"{p.Key}={report.Text(best, p)}")));
        if (report.Importance.Count > 0)
            Log("importance: " + string.Join(", ", report.Importance.Select(kv => F($"{kv.Key} {kv.Value:F2}"))));
        Log($"report: {html}");
        return 0;
    }
}
