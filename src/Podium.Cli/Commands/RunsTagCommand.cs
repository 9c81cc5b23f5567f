using System.ComponentModel;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class RunsTagCommand : PodiumCommand<RunsTagCommand.Settings>
{
    public sealed class Settings : RunsSettings
    {
        [CommandArgument(0, "<ID>")]
        [Description("A run id, or any unique start of one")]
        public string Id { get; init; } = "";

        [CommandArgument(1, "[TAGS]")]
        [Description("Tags to add")]
        public string[] Tags { get; init; } = [];

        [CommandOption("--remove <TAG>")]
        [Description("A tag to take off (repeatable)")]
        public string[] Remove { get; init; } = [];
    }

    protected override int Run(Settings s)
    {
        if (s.Tags.Concat(s.Remove).FirstOrDefault(t => t.Length == 0 || t.Any(char.IsWhiteSpace)) is { } bad)
            throw new PodiumException($"runs tag: '{bad}' is not a tag (no spaces, not empty)");
        var store = s.OpenStore();
        var run = store.Find(s.Id);
        store.Tag(run.Id, s.Tags, s.Remove);
        Log($"run {run.Id} ({run.Name}): tags {string.Join(' ', store.Find(run.Id).Tags)}");
        return 0;
    }
}
