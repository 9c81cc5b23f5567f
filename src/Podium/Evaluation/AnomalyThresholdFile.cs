using System.Text.Json;
using System.Text.Json.Nodes;
using Podium.IO;

namespace Podium.Evaluation;

/// <summary>
/// An anomaly detection run's threshold.json: the threshold and how it was chosen, the range its heat maps are coloured by, what
/// the validation images scored at it, and the SHA-256 of the checkpoint whose scores it was chosen on, so a threshold is never
/// applied to another model's scores.
/// </summary>
public static class AnomalyThresholdFile
{
    /// <summary>The threshold, the heat maps' colour range and the run it was chosen in.</summary>
    public sealed record Contents(AnomalyThreshold Threshold, AnomalyMapRange Maps, string Run);

    public static void Save(string path, string checkpoint, string method, AnomalyThreshold threshold, AnomalyMapRange maps,
        IReadOnlyDictionary<string, double> validation) => AtomicFile.WriteAllText(path, new JsonObject
        {
            ["method"] = method,
            ["threshold"] = threshold.Value,
            ["by"] = threshold.By,
            ["percentile"] = threshold.Percentile,
            ["map_low"] = maps.Low,
            ["map_high"] = maps.High,
            ["validation"] = new JsonObject(validation.Select(e => KeyValuePair.Create(e.Key,
                (JsonNode?)(double.IsFinite(e.Value) ? e.Value : null)))),
            ["run"] = Path.GetDirectoryName(path),
            ["checkpoint_sha256"] = FileHash.Sha256(checkpoint),
        }.ToJsonString(JsonFiles.Options));

    /// <summary>Reads the file, naming it and the problem when it is not a threshold file or was chosen for another model than the
    /// one in <paramref name="checkpoint"/>.</summary>
    public static Contents Load(string path, string checkpoint)
    {
        if (!File.Exists(path)) throw new PodiumException($"{path}: no such threshold file");
        try
        {
            var j = JsonNode.Parse(File.ReadAllText(path))!;
            var run = j["run"]?.GetValue<string>() ?? "?";
            var sha = j["checkpoint_sha256"]?.GetValue<string>() ?? throw new PodiumException($"{path}: not a threshold file (no " +
                "checkpoint_sha256)");
            if (sha != FileHash.Sha256(checkpoint))
                throw new PodiumException($"{path}: a threshold chosen for another model (run {run}), not {checkpoint}; its scores " +
                    "are on another scale: use the run's own threshold.json");
            var threshold = new AnomalyThreshold(j["threshold"]!.GetValue<double>(), j["by"]!.GetValue<string>(),
                j["percentile"]!.GetValue<double>());
            return new(threshold, new(j["map_low"]!.GetValue<double>(), j["map_high"]!.GetValue<double>()), run);
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new PodiumException($"{path}: not a threshold file ({e.Message.Split('\n')[0]})");
        }
    }
}
