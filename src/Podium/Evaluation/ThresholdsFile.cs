using System.Text.Json;
using System.Text.Json.Nodes;
using Podium.IO;

namespace Podium.Evaluation;

/// <summary>
/// A run's thresholds.json: the metric tuned for, its value before and after, one number per class under
/// <c>weights</c> (single-label: decision weights) or <c>thresholds</c> (multi-label: probability thresholds), and the
/// SHA-256 of the checkpoint they were tuned on: thresholds of another model (a resumed run's new best) are refused.
/// </summary>
public static class ThresholdsFile
{
    public static void Save(string path, string checkpoint, string metric, double before, double after, string key,
        IReadOnlyList<string> names, IReadOnlyList<double> values) =>
        AtomicFile.WriteAllText(path, new JsonObject
        {
            ["metric"] = metric,
            ["before"] = before,
            ["after"] = after,
            [key] = new JsonObject(names.Select((c, i) => KeyValuePair.Create(c, (JsonNode?)values[i]))),
            ["checkpoint_sha256"] = FileHash.Sha256(checkpoint),
        }.ToJsonString(JsonFiles.Options));

    /// <summary>Reads the file's values under <paramref name="key"/> for <paramref name="names"/>, naming the file and the problem when it
    /// does not
    /// fit or was tuned on another checkpoint than <paramref name="checkpoint"/>.</summary>
    public static (string Metric, double Before, double After, double[] Values) Load(string path, string checkpoint, string key,
        IReadOnlyList<string> names)
    {
        try
        {
            var j = JsonNode.Parse(File.ReadAllText(path))!;
            if (j["checkpoint_sha256"]?.GetValue<string>() != FileHash.Sha256(checkpoint))
                throw new PodiumException($"{path}: tuned on another model than {Path.GetFileName(checkpoint)} (the run trained on " +
                    $"since); tune again with podium evaluate --tune-thresholds, or delete it");
            if (j[key] is not JsonObject values)
                throw new PodiumException($"{path}: no '{key}' " +
                    $"({(key == "weights" ? "a multi-label run's per-label thresholds?" : "a single-label run's per-class weights?")})");
            var v = names.Select(c => values[c]?.GetValue<double>()
                ?? throw new PodiumException($"{path}: no value for '{c}' in '{key}'")).ToArray();
            return (j["metric"]!.GetValue<string>(), j["before"]!.GetValue<double>(), j["after"]!.GetValue<double>(), v);
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException)
        {
            throw new PodiumException($"{path}: not a thresholds file ({e.Message.Split('\n')[0]})");
        }
    }
}
