using System.ComponentModel;
using Podium.Tracking;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class RunsImportCommand : PodiumCommand<RunsImportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FOLDERS>")]
        [Description("Run folders (or folders of run folders) to record in the store")]
        public string[] Folders { get; init; } = [];

        [CommandOption("--store <PATH>")]
        [Description("The run store (default: PODIUM_TRACKING_STORE, else runs/podium.db here); made when missing")]
        public string? Store { get; init; }
    }

    protected override int Run(Settings s)
    {
        var store = RunStore.Open(RunStore.Locate(s.Store));
        var folders = new List<string>();
        foreach (var f in s.Folders)
        {
            if (!Directory.Exists(f)) throw new PodiumException($"{f}: no such folder");
            // A folder of runs (runs/) imports each run in it.
            folders.AddRange(File.Exists(Path.Combine(f, "config.yaml")) ? [f]
                : Directory.EnumerateDirectories(f).Where(d => File.Exists(Path.Combine(d, "config.yaml"))).Order(StringComparer.Ordinal));
        }
        if (folders.Count == 0) throw new PodiumException($"{string.Join(", ", s.Folders)}: no run folder (config.yaml) found");
        int added = 0;
        foreach (var f in folders)
        {
            var (id, isNew) = RunImporter.Import(store, f);
            added += isNew ? 1 : 0;
            Log(isNew ? $"imported {f} as run {id}" : $"{f} is already run {id}");
        }
        Log($"{added} run(s) imported into {store.Location}");
        return 0;
    }
}
