using System.Globalization;
using System.Text.Json;
using Podium.Config;
using Podium.IO;

namespace Podium.Tracking;

/// <summary>
/// Brings a run folder written without a store (or before the store existed) into one: its config and hyperparameters,
/// metrics.csv's steps, epochs.csv's epochs, summary.json's best epoch, environment and end, evaluation.json's figures and
/// its pictures and reports as artifacts. A folder already in the store is left as it is.
/// </summary>
public static class RunImporter
{
    /// <summary>The run id the folder has in the store and whether this call added it.</summary>
    public static (string Id, bool Added) Import(RunStore store, string folder)
    {
        var run = new RunDirectory(folder);
        if (!File.Exists(run.Config) || !File.Exists(run.Epochs))
            throw new PodiumException($"{folder}: not a run folder (config.yaml and epochs.csv are missing)");
        if (store.ForFolder(folder) is { } known) return (known.Id, false);

        var summary = File.Exists(run.Summary) ? JsonDocument.Parse(File.ReadAllText(run.Summary)).RootElement : default;
        bool Has(string key) => summary.ValueKind == JsonValueKind.Object && summary.TryGetProperty(key, out _);
        var yaml = File.ReadAllText(run.Config);
        var flat = FlatConfig.Of(yaml);
        var epochs = ReadCsv(run.Epochs);
        var bestEpoch = Has("best_epoch") ? summary.GetProperty("best_epoch").GetInt32() : 0;
        var monitor = Has("monitor") ? summary.GetProperty("monitor").GetString() ?? "" : "";

        var id = StoreLogger.NewId();
        try { Write(store, id, folder, run, summary, yaml, flat, epochs, bestEpoch, monitor); }
        catch
        {
            store.Delete(id); // an import is whole or absent
            throw;
        }
        StoreLogger.WriteMarker(folder, store.Location, id);
        return (id, true);
    }

    private static void Write(RunStore store, string id, string folder, RunDirectory run, JsonElement summary, string yaml,
        IReadOnlyDictionary<string, string> flat, List<Dictionary<string, double>> epochs, int bestEpoch, string monitor)
    {
        bool Has(string key) => summary.ValueKind == JsonValueKind.Object && summary.TryGetProperty(key, out _);
        using var writer = new RunWriter(store, id);
        // The run began when its config was written and ended with its last epoch's line.
        static double Seconds(string file) => (File.GetLastWriteTimeUtc(file) - DateTime.UnixEpoch).TotalSeconds;
        writer.Create(flat.GetValueOrDefault("name") is { Length: > 0 } name ? name : Path.GetFileName(Path.GetFullPath(folder)),
            Path.GetFullPath(folder),
            flat.TryGetValue("train.epochs", out var e) ? int.Parse(e, CultureInfo.InvariantCulture) : epochs.Count, monitor, yaml,
            Has("environment") ? summary.GetProperty("environment").GetRawText() : null, git: null, Seconds(run.Config));
        List<StoreEntry> entries = [new StoreEntry.Params(flat)];
        foreach (var row in epochs)
        {
            var number = (int)row["epoch"];
            entries.Add(new StoreEntry.Epoch(number, number == bestEpoch,
                row.Where(p => p.Key != "epoch").ToDictionary(p => p.Key, p => p.Value)));
        }
        if (File.Exists(run.Metrics))
            foreach (var row in ReadCsv(run.Metrics))
                entries.Add(new StoreEntry.Step((long)row["step"], (int)row["epoch"], double.NaN,
                    [.. row.Where(p => p.Key is not ("step" or "epoch")).Select(p => (p.Key, p.Value))]));
        if (File.Exists(run.Evaluation) && Figures(run.Evaluation) is { Count: > 0 } figures)
            entries.Add(new StoreEntry.Results("evaluation", figures));
        foreach (var file in Artifacts(folder)) entries.Add(new StoreEntry.Artifact(Path.GetRelativePath(folder, file), file));
        var finished = Has("finished") && summary.GetProperty("finished").GetBoolean();
        entries.Add(new StoreEntry.End(finished ? "finished" : "killed", finished ? null : "imported: the run never finished",
            Seconds(run.Epochs)));
        writer.Write(entries);
    }

    /// <summary>The files a run folder shows people: pictures, reports, checkpoints, predictions and submissions.</summary>
    public static IEnumerable<string> Artifacts(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Where(f => Path.GetExtension(f) is ".png" or ".jpg" or ".html" or ".pt" or ".json" or ".csv")
        .Where(f => !Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != "tracking.json")
        .Where(f => !Path.GetRelativePath(folder, f).Contains("resume-", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal);

    // A CSV of numbers with a header (metrics.csv, epochs.csv): a row per line, column → value (empty or NaN: NaN).
    private static List<Dictionary<string, double>> ReadCsv(string path)
    {
        var rows = Csv.Read(path);
        if (rows.Count == 0) return [];
        var header = rows[0];
        // The last line of a killed run may be cut short.
        return [.. rows.Skip(1).Where(cells => cells.Length == header.Length).Select(cells => header.Zip(cells).ToDictionary(
            p => p.First, p => double.TryParse(p.Second, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN))];
    }

    private static Dictionary<string, double> Figures(string evaluationJson)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(evaluationJson));
        return doc.RootElement.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object
            ? metrics.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number)
                .ToDictionary(p => p.Name, p => p.Value.GetDouble())
            : [];
    }
}
