using System.ComponentModel;
using Podium.Tuning;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class TuneCommand : PodiumCommand<TuneCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<CONFIG>")]
        [Description("The base YAML config every trial starts from")]
        public string Config { get; init; } = "";

        [CommandOption("--space <SPACE>")]
        [Description("The search space YAML: KEY: {float: [[LOW, HIGH]], log: true} | {int: [[LOW, HIGH]], step: N} | " +
            "{choice: [[A, B]]}, each with an optional when: {OTHER.KEY: VALUE}")]
        public string? Space { get; init; }

        [CommandOption("--trials <N>")]
        [Description("The study's trial budget, shared by every worker (default 20)")]
        public int Trials { get; init; } = 20;

        [CommandOption("--study <NAME>")]
        [Description("The study's name (default: the config's file name); workers given the same name share it")]
        public string? Study { get; init; }

        [CommandOption("--storage <STORE>")]
        [Description("Where the study lives: the run store (SQLite file or postgresql://...; default: the config's tracking.store)")]
        public string? Storage { get; init; }

        [CommandOption("--seed <N>")]
        [Description("The sampler's seed (default 0): trial N draws the same values on any worker")]
        public int Seed { get; init; }

        [CommandOption("--sampler <NAME>")]
        [Description("tpe (default: multivariate TPE after 10 random trials, constant liar for parallel workers), random, " +
            "qmc (a scrambled Halton sequence), or grid (every combination once; discrete spaces)")]
        public string Sampler { get; init; } = "tpe";

        [CommandOption("--pruner <NAME>")]
        [Description("Stops hopeless trials after an epoch: median (default: below the finished trials' median), asha " +
            "(successive halving, η=3), or none")]
        public string Pruner { get; init; } = "median";

        [CommandOption("--heartbeat <SECONDS>")]
        [Description("How often a worker marks its running trial alive (default 10)")]
        public double Heartbeat { get; init; } = 10;

        [CommandOption("--grace <SECONDS>")]
        [Description("A running trial silent this long is failed and queued again: its worker died (default 60)")]
        public double Grace { get; init; } = 60;

        [CommandOption("--retries <N>")]
        [Description("How often a dead worker's trial is queued again (default 2)")]
        public int Retries { get; init; } = 2;

        [CommandOption("--threads <N>")]
        [Description("Threads per trial (default: a share of the cores beside the other trainings on this machine, other workers' " +
            "included)")]
        public int Threads { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a key of the base config (repeatable)")]
        public string[] Set { get; init; } = [];

        [CommandOption("--out <DIR>")]
        [Description("Where the trials' runs go, trial-N each (default: runs/tune-STUDY)")]
        public string? Out { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Space is null) throw new PodiumException("tune: --space SPACE.yaml is required");
        var space = SearchSpace.Load(s.Space);
        var study = s.Study ?? Path.GetFileNameWithoutExtension(s.Config);
        var outcome = ConsoleProgress.Run(progress => Tuner.Run(
            new TuneOptions(s.Config, s.Set, space, study, s.Trials, s.Storage, s.Seed, s.Sampler, s.Pruner, s.Out)
            {
                Heartbeat = Seconds("--heartbeat", s.Heartbeat),
                Grace = Seconds("--grace", s.Grace),
                Retries = s.Retries >= 0 ? s.Retries : throw new PodiumException($"--retries {s.Retries}: 0 or more"),
                Threads = s.Threads >= 0 ? s.Threads : throw new PodiumException($"--threads {s.Threads}: 0 (a share) or more"),
            },
            new Podium.Runs.RunOptions { Log = Log, Loggers = [progress] }));
        var counts = outcome.Trials.GroupBy(t => t.State).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}");
        Log($"study {outcome.Study} in {outcome.Store}: {outcome.Trials.Count} trial(s) ({string.Join(", ", counts)}); this worker ran " +
            $"{outcome.Ran}");
        if (outcome.Best is { } best)
            Log(F($"best: trial {best.Number}, value {best.Value:G6}: ") + string.Join(", ", space.Parameters
                .Where(p => best.Params.ContainsKey(p.Key)).Select(p => $"{p.Key}={p.Text(best.Params[p.Key])}")));
        return 0;
    }

    private static TimeSpan Seconds(string option, double seconds) => seconds > 0 && double.IsFinite(seconds)
        ? TimeSpan.FromSeconds(seconds) : throw new PodiumException($"{option} {seconds}: a positive number of seconds");
}
