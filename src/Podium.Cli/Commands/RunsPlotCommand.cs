using System.ComponentModel;
using Podium.Reporting;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class RunsPlotCommand : PodiumCommand<RunsPlotCommand.Settings>
{
    public sealed class Settings : RunsSettings
    {
        [CommandArgument(0, "<IDS>")]
        [Description("Run ids (or unique starts of them) to overlay")]
        public string[] Ids { get; init; } = [];

        [CommandOption("--figure <NAME>")]
        [Description("A per-step figure (loss, lr, loss_PART, data_wait_ms, step_ms) or a per-epoch one (val_accuracy, train_loss, ...); " +
            "default loss")]
        public string Figure { get; init; } = "loss";

        [CommandOption("--smooth <BETA>")]
        [Description("Exponential smoothing as TensorBoard's slider, 0 to below 1 (default 0.9 for steps, 0 for epochs)")]
        public double? Smooth { get; init; }

        [CommandOption("--log")]
        [Description("log10 of the values")]
        public bool Log { get; init; }

        [CommandOption("--out <PNG>")]
        [Description("The picture to write (default runs-FIGURE.png)")]
        public string? Out { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.Smooth is < 0 or >= 1) throw new PodiumException($"--smooth {s.Smooth}: from 0 to below 1");
        var store = s.OpenStore();
        var runs = s.Ids.Select(store.Find).ToList(); // every id is checked before anything is drawn
        var steps = runs.Select(r => store.Steps(r.Id, s.Figure)).ToList();
        var perStep = steps.Any(v => v.Count > 0);
        List<(string, IReadOnlyList<(double, double)>)> series = perStep
            ? [.. runs.Zip(steps, (r, v) => ($"{r.Id} {r.Name}",
                (IReadOnlyList<(double, double)>)[.. v.Select(p => ((double)p.Step, p.Value))]))]
            : [.. runs.Select(r => ($"{r.Id} {r.Name}",
                (IReadOnlyList<(double, double)>)[.. store.EpochValues(r.Id, s.Figure).Select(p => ((double)p.Epoch, p.Value))]))];
        if (series.All(x => x.Item2.Count == 0))
            throw new PodiumException($"--figure {s.Figure}: none of these runs logged it (per step: loss, lr, loss_PART, data_wait_ms, " +
                "step_ms; per epoch: train_loss and the val_ figures runs show lists)");
        var path = s.Out ?? $"runs-{s.Figure}.png";
        Plots.Overlaid(series, s.Figure, perStep ? "step" : "epoch", s.Smooth ?? (perStep ? 0.9 : 0), s.Log, path);
        Log($"{series.Count} run(s), {s.Figure} by {(perStep ? "step" : "epoch")}: {Path.GetFullPath(path)}");
        return 0;
    }
}
