using System.ComponentModel;
using System.Text.Json;
using Podium.IO;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class RunsShowCommand : PodiumCommand<RunsShowCommand.Settings>
{
    public sealed class Settings : RunsSettings
    {
        [CommandArgument(0, "<ID>")]
        [Description("A run id, or any unique start of one")]
        public string Id { get; init; } = "";
    }

    protected override int Run(Settings s)
    {
        var d = s.OpenStore().Details(s.Id);
        var r = d.Run;
        if (s.Format == "json")
        {
            Log(JsonSerializer.Serialize(new
            {
                run = r,
                hyperparameters = d.Params,
                epochs = d.Epochs.Select(e => new Dictionary<string, double>(e.Values) { ["epoch"] = e.Epoch }),
                results = d.Results,
                artifacts = d.Artifacts,
                steps = d.Steps,
                environment = d.Environment is null ? (JsonElement?)null : JsonDocument.Parse(d.Environment).RootElement,
            }, JsonFiles.Options));
            return 0;
        }
        if (s.Format == "csv")
        {
            // The per-epoch figures: what a spreadsheet wants of one run.
            var keys = d.Epochs.SelectMany(e => e.Values.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            RunsTable.Write("csv", ["epoch", .. keys], [.. d.Epochs.Select(e => (IReadOnlyList<object?>)
                [e.Epoch, .. keys.Select(k => e.Values.TryGetValue(k, out var v) ? v : (object?)null)])]);
            return 0;
        }
        Log($"run {r.Id}: {r.Name} ({r.Task ?? "?"}), {r.Status}" + (r.Reason is { } why ? $": {why}" : ""));
        Log($"folder:   {r.Folder}");
        Log($"started:  {RunsTable.Time(r.Started)} on {r.Host}, {RunsTable.Duration(r.Duration)}" +
            (r.GitCommit is { } commit ? $"; git {commit[..Math.Min(12, commit.Length)]}{(r.GitDirty == true ? " (dirty)" : "")}" : ""));
        if (r.Tags.Count > 0) Log($"tags:     {string.Join(' ', r.Tags)}");
        Log($"epochs:   {d.Epochs.Count} of {r.Epochs}, {d.Steps} steps logged; best epoch {r.BestEpoch} by {r.Monitor}");
        foreach (var (name, values) in d.Results)
            Log($"{name + ":",-9} " + string.Join(", ", values.Select(v => $"{v.Key} {RunsTable.Number(v.Value)}")));
        if (d.Environment is not null)
            Log("environment: " + string.Join(", ", JsonDocument.Parse(d.Environment).RootElement.EnumerateObject()
                .Select(p => $"{p.Name} {p.Value}")));
        Log("hyperparameters:");
        foreach (var (k, v) in d.Params) Log($"  {k}: {v}");
        if (d.Artifacts.Count > 0)
        {
            Log("artifacts:");
            foreach (var (name, path) in d.Artifacts) Log($"  {name}{(File.Exists(path) ? "" : " (gone)")}");
        }
        return 0;
    }
}
