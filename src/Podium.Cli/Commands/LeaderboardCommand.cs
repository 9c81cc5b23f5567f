using System.ComponentModel;
using System.Globalization;
using Podium.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class LeaderboardCommand : PodiumCommand<LeaderboardCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--book <FILE>")]
        [Description("The submission book podium submit-log writes (default submissions.csv)")]
        public string Book { get; init; } = "submissions.csv";

        [CommandOption("--out <DIR>")]
        [Description("Where leaderboard.png and leaderboard.html go (default: beside the book)")]
        public string? Out { get; init; }
    }

    protected override int Run(Settings s)
    {
        var r = Leaderboard.Show(s.Book, s.Out ?? Path.GetDirectoryName(Path.GetFullPath(s.Book))!);
        var table = new Table().AddColumns("#", "time", "run", "metric", "validation", "public", "private", "note");
        int i = 0;
        foreach (var sub in r.Submissions)
            table.AddRow((++i).ToString(CultureInfo.InvariantCulture), sub.Time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                Markup.Escape(Path.GetFileName(sub.Run)),
                sub.Metric, F($"{sub.Validation:F4}"), F($"{sub.Public:F4}"), sub.Private is { } p ? F($"{p:F4}") : "",
                    Markup.Escape(sub.Note));
        AnsiConsole.Write(table);
        Log(F($"validation vs public: Pearson {r.Pearson:F3}, Spearman {r.Spearman:F3}") + (r.TrendAgreement is { } t
            ? F($"; same direction in {t * 100:F0}% of consecutive changes") : ""));
        if (r.Pearson < 0.5) Log("warning: validation does not predict the leaderboard here; revisit the split (podium split --like " +
            "TEST) before trusting either");
        Log($"plot: {r.Plot}");
        Log($"page: {r.Page}");
        return 0;
    }
}
