using System.ComponentModel;
using Podium.Config;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class RunsReproduceCommand : PodiumCommand<RunsReproduceCommand.Settings>
{
    public sealed class Settings : RunsSettings
    {
        [CommandArgument(0, "<ID>")]
        [Description("A run id, or any unique start of one")]
        public string Id { get; init; } = "";

        [CommandOption("--out <DIR>")]
        [Description("Run directory of the reproduction (default: runs/<name>-repro, or -repro-2 ... when taken)")]
        public string? Out { get; init; }
    }

    // What a run measures of its machine, not of its model: never compared.
    private static readonly string[] Timings = ["seconds", "data_wait_seconds", "rss_mb"];

    /// <summary>Trains the stored run's resolved config again and compares every epoch's figures; exit 1 when they differ.</summary>
    protected override int Run(Settings s)
    {
        var store = s.OpenStore();
        var original = store.Details(s.Id);
        var yaml = original.Config ?? throw new PodiumException($"run {original.Run.Id}: the store holds no config for it");
        var config = ConfigLoader.Parse(yaml, $"run {original.Run.Id}'s config");
        if (!config.Deterministic)
            Log("note: the run was not deterministic (deterministic: false): its figures may differ in the last digits");
        var runPath = s.Out ?? Tracking.RunDirectory.NextFree("runs", original.Run.Name + "-repro");
        var outcome = ConsoleProgress.Run(progress => Podium.Runs.TrainingPipeline.Train(config with
        {
            Tracking = config.Tracking with { Enabled = true, Store = store.Location },
        }, runPath, new() { Log = Log, Loggers = [progress], Tracking = true }));
        var again = store.ForFolder(outcome.Run.Root) ?? throw new PodiumException($"{runPath}: the reproduction was not recorded");
        var copy = store.Details(again.Id);

        var differences = new List<string>();
        var epochs = copy.Epochs.ToDictionary(e => e.Epoch, e => e.Values);
        foreach (var (epoch, values) in original.Epochs)
        {
            if (!epochs.TryGetValue(epoch, out var other)) { differences.Add($"epoch {epoch}: missing"); continue; }
            foreach (var (key, v) in values.Where(p => !Timings.Contains(p.Key)))
                if (!other.TryGetValue(key, out var w) || !(v.Equals(w)))
                    differences.Add(F($"epoch {epoch} {key}: {v:G9} then, {w:G9} now"));
        }
        if (copy.Epochs.Count != original.Epochs.Count)
            differences.Add($"{original.Epochs.Count} epochs then, {copy.Epochs.Count} now");
        Log($"reproduction of run {original.Run.Id}: run {again.Id} in {outcome.Run.Root}");
        if (differences.Count == 0)
        {
            Log($"figures match: {original.Epochs.Count} epochs, every figure equal");
            return 0;
        }
        Log($"figures differ ({differences.Count}):");
        foreach (var d in differences.Take(20)) Log("  " + d);
        return 1;
    }
}
