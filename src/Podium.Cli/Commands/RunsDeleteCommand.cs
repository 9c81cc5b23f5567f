using System.ComponentModel;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class RunsDeleteCommand : PodiumCommand<RunsDeleteCommand.Settings>
{
    public sealed class Settings : RunsSettings
    {
        [CommandArgument(0, "<IDS>")]
        [Description("Run ids (or unique starts of them) whose records go; their folders stay")]
        public string[] Ids { get; init; } = [];
    }

    protected override int Run(Settings s)
    {
        var store = s.OpenStore();
        var runs = s.Ids.Select(store.Find).ToList(); // every id is checked before anything is deleted
        if (runs.FirstOrDefault(r => r.Status == "running") is { } live)
            throw new PodiumException($"run {live.Id} ({live.Name}) is running; delete it once it has ended");
        foreach (var r in runs)
        {
            store.Delete(r.Id);
            Log($"deleted run {r.Id} ({r.Name}) from {store.Location}; its folder {r.Folder} is untouched");
        }
        return 0;
    }
}
