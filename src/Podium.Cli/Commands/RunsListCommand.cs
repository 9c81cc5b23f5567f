using System.ComponentModel;
using System.Globalization;
using Podium.Tracking;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class RunsListCommand : PodiumCommand<RunsListCommand.Settings>
{
    public sealed class Settings : RunsSettings
    {
        [CommandOption("--name <PATTERN>")]
        [Description("Runs whose name matches (* and ?)")]
        public string? Name { get; init; }

        [CommandOption("--tag <TAG>")]
        [Description("Runs with this tag")]
        public string? Tag { get; init; }

        [CommandOption("--status <STATUS>")]
        [Description("running, finished, failed or killed")]
        public string? Status { get; init; }

        [CommandOption("--since <DATE>")]
        [Description("Runs started on or after this date (yyyy-MM-dd, local time)")]
        public string? Since { get; init; }

        [CommandOption("--param <KEY=VALUE>")]
        [Description("Runs trained with this hyperparameter value, e.g. train.optimizer.name=sgd (repeatable)")]
        public string[] Param { get; init; } = [];

        [CommandOption("--where <CONDITION>")]
        [Description("A condition on a best-epoch figure, e.g. val_accuracy>0.8 (repeatable)")]
        public string[] Where { get; init; } = [];

        [CommandOption("--sort <FIGURE>")]
        [Description("Highest of this best-epoch figure first (--ascending: lowest); default newest first")]
        public string? Sort { get; init; }

        [CommandOption("--ascending")]
        [Description("With --sort: lowest first (a loss)")]
        public bool Ascending { get; init; }

        [CommandOption("--limit <N>")]
        [Description("At most N runs")]
        public int? Limit { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Status is { } status && !RunFilter.Statuses.Contains(status))
            throw new PodiumException($"--status {status}: one of {string.Join(", ", RunFilter.Statuses)}");
        DateTime? since = null;
        if (s.Since is { } text)
            since = DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var d)
                ? d : throw new PodiumException($"--since {text}: a date as yyyy-MM-dd");
        var store = s.OpenStore();
        var runs = store.List(new RunFilter
        {
            Name = s.Name,
            Tag = s.Tag,
            Status = s.Status,
            Since = since,
            Params = s.Param,
            Where = s.Where,
            Sort = s.Sort,
            Ascending = s.Ascending,
            Limit = s.Limit,
        });
        RunsTable.Write(s.Format, ["id", "name", "task", "status", "started", "duration", "epochs", "best", "monitor", "value", "tags"],
            [.. runs.Select(r => (IReadOnlyList<object?>)[r.Id, r.Name, r.Task, r.Status, RunsTable.Time(r.Started),
                RunsTable.Duration(r.Duration), r.Epochs, r.BestEpoch, r.Monitor,
                r.Monitor is { } m && r.Best.TryGetValue(m, out var v) ? v : null, string.Join(' ', r.Tags)])]);
        if (s.Format == "table") Log($"{runs.Count} run(s) in {store.Location}");
        return 0;
    }
}
