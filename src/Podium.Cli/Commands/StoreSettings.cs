using System.ComponentModel;
using Podium.Tracking;
using Spectre.Console.Cli;

namespace Podium.Cli;

/// <summary>What the commands that read the run store take: which store.</summary>
public class StoreSettings : CommandSettings
{
    [CommandOption("--store <STORE>")]
    [Description("The run store: a SQLite file or postgresql://USER@HOST/DATABASE (default: PODIUM_TRACKING_STORE, else " +
        "runs/podium.db here)")]
    public string? Store { get; init; }

    /// <summary>The store these settings name; listing an absent store is refused rather than creating an empty one.</summary>
    public RunStore OpenStore()
    {
        var path = RunStore.Locate(Store);
        if (!RunStore.IsServer(path) && !File.Exists(path))
            throw new PodiumException($"{path}: no run store here (runs trained with the CLI are recorded in runs/podium.db of the " +
                "folder they were started from; --store or PODIUM_TRACKING_STORE name another)");
        return RunStore.Open(path);
    }
}
