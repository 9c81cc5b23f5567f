using System.Text.Json;

namespace Podium.Ocr;

/// <summary>
/// MMOCR's text-recognition annotation file (<c>{"metainfo": {"task_name": "textrecog", …}, "data_list": [{"img_path",
/// "instances": [{"text"}]}]}</c>): one line image per entry, its transcription the first instance's text; image paths relative to
/// the file's folder. Entries without an image path or a text are left out and counted.
/// </summary>
public static class RecognitionManifest
{
    /// <summary>Whether a JSON file is one: its metainfo says textrecog, or its first entry's instances hold text and no polygon.
    /// </summary>
    public static bool Is(string path)
    {
        if (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || !File.Exists(path)) return false;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            if (root.TryGetProperty("metainfo", out var meta) && meta.ValueKind == JsonValueKind.Object
                && meta.TryGetProperty("task_name", out var task) && task.ValueKind == JsonValueKind.String)
                return task.GetString() == "textrecog";
            if (!root.TryGetProperty("data_list", out var list) || list.ValueKind != JsonValueKind.Array
                || list.GetArrayLength() == 0) return false;
            var first = list[0];
            return first.ValueKind == JsonValueKind.Object && first.TryGetProperty("instances", out var inst)
                && inst.ValueKind == JsonValueKind.Array && inst.GetArrayLength() > 0 && inst[0].ValueKind == JsonValueKind.Object
                && inst[0].TryGetProperty("text", out _) && !inst[0].TryGetProperty("polygon", out _);
        }
        catch (JsonException) { return false; }
    }

    /// <summary>The entries of a recognition file: where each is (for messages), its image and its text (null when it has none);
    /// entries without an image path are added to <paramref name="skipped"/>.</summary>
    public static List<(string Where, string Image, string? Text)> Read(string path, List<Data.SkippedInput> skipped)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(path))!;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        if (!doc.RootElement.TryGetProperty("data_list", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new PodiumException($"{path}: a text-recognition file needs a \"data_list\" array");
        var entries = new List<(string, string, string?)>();
        int index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var where = $"{path} data_list[{index++}]";
            string? rel = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("img_path", out var p)
                && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            if (string.IsNullOrEmpty(rel)) { skipped.Add(new(where, "no img_path")); continue; }
            string? text = item.TryGetProperty("instances", out var inst) && inst.ValueKind == JsonValueKind.Array
                && inst.GetArrayLength() > 0 && inst[0].ValueKind == JsonValueKind.Object && inst[0].TryGetProperty("text", out var t)
                && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            entries.Add((where, Path.IsPathRooted(rel) ? rel : Path.Combine(root, rel), text));
        }
        return entries;
    }
}
