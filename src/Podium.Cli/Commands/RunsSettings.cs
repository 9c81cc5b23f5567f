using System.ComponentModel;
using Podium.Tracking;
using Spectre.Console.Cli;

namespace Podium.Cli;

/// <summary>What every <c>podium runs</c> command takes: the store and the output format.</summary>
public class RunsSettings : CommandSettings
{
    [CommandOption("--store <PATH>")]
    [Description("The run store (default: PODIUM_TRACKING_STORE, else runs/podium.db here)")]
    public string? Store { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default), json or csv")]
    public string Format { get; init; } = "table";

    public override Spectre.Console.ValidationResult Validate() => Format is "table" or "json" or "csv"
        ? Spectre.Console.ValidationResult.Success()
        : Spectre.Console.ValidationResult.Error($"--format {Format}: table, json or csv");

    /// <summary>The store these settings name; listing an absent store is refused rather than creating an empty one.</summary>
    public RunStore OpenStore()
    {
        var path = RunStore.Locate(Store);
        if (!File.Exists(path))
            throw new PodiumException($"{path}: no run store here (runs trained with the CLI are recorded in runs/podium.db of the " +
                "folder they were started from; --store or PODIUM_TRACKING_STORE name another)");
        return RunStore.Open(path);
    }
}
