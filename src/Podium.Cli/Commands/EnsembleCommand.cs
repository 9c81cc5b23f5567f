using System.ComponentModel;
using Podium.Evaluation;
using Podium.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class EnsembleCommand : PodiumCommand<EnsembleCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<MEMBERS>")]
        [Description("Runs (predictions/val.csv, predictions/test.csv) or cv folders (oof.csv, test.csv)")]
        public string[] Members { get; init; } = [];

        [CommandOption("--method <METHOD>")]
        [Description("soft (mean), hard (votes), weighted (weights fitted on validation), rank (rank average), stack (logistic " +
            "regression)")]
        public string Method { get; init; } = "soft";

        [CommandOption("--metric <NAME>")]
        [Description("What scores the members and fits weights (default: the first member's train.metric)")]
        public string? Metric { get; init; }

        [CommandOption("--out <FILE>")]
        [Description("Submission CSV to write (default ensemble.csv)")]
        public string Out { get; init; } = "ensemble.csv";

        [CommandOption("--sample <FILE>")]
        [Description("sample_submission.csv to match")]
        public string? Sample { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Metric is not null
            && !Metrics.Names.ContainsKey(s.Metric)) throw new PodiumException($"--metric {s.Metric}: unknown " +
            $"({string.Join(", ", Metrics.Names.Keys)})");
        var r = EnsembleRunner.Run(s.Members, s.Method, s.Metric, s.Out, s.Sample, Log);
        foreach (var (member, score) in r.Members) Log(F($"{member}: {r.Metric} {score:F4}"));
        Log(F($"{r.Method} ensemble: {r.Metric} {r.Score:F4}") + (r.Optimistic
            ? " (optimistic: the weights were fitted on these predictions)" : "")
            + (r.Method == "stack" ? " (5-fold within the validation predictions)" : ""));
        if (r.Weights is not null) Log("weights: " + string.Join(", ", r.Weights.Select((w, i) => F($"{s.Members[i]} {w:0.00}"))));
        if (r.Submission is not null) Log($"submission: {r.Submission}; probabilities: {r.Probabilities}");
        return 0;
    }
}
