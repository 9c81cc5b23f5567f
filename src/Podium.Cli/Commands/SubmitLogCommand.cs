using System.ComponentModel;
using Podium.Runs;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class SubmitLogCommand : PodiumCommand<SubmitLogCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<RUN>")]
        [Description("The run or cv folder the submission came from")]
        public string Run { get; init; } = "";

        [CommandOption("--public-score <X>")]
        [Description("The public leaderboard score the submission got")]
        public double? Public { get; init; }

        [CommandOption("--private-score <X>")]
        [Description("The private leaderboard score, when known")]
        public double? Private { get; init; }

        [CommandOption("--note <TEXT>")]
        [Description("What was different about this submission")]
        public string? Note { get; init; }

        [CommandOption("--book <FILE>")]
        [Description("The submission book (default submissions.csv)")]
        public string Book { get; init; } = "submissions.csv";
    }

    protected override int Run(Settings s)
    {
        if (s.Public is null) throw new PodiumException("submit-log: --public-score X is required");
        var r = Leaderboard.Record(s.Book, s.Run, s.Public.Value, s.Private, s.Note);
        Log(F($"recorded in {Path.GetFullPath(s.Book)}: validation {r.Metric} {r.Validation:F4}, public {r.Public:F4}"));
        return 0;
    }
}
