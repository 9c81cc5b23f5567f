using System.Text.Json;
using OpenCvSharp;
using Podium.Augment;

namespace Podium.Data;

/// <summary>
/// A text-detection manifest in MMOCR's format (<c>{"metainfo": …, "data_list": [{"img_path",
/// "height", "width", "instances": [{"polygon": [x1, y1, …], "bbox", "bbox_label", "ignore", "text"}]}]}</c>),
/// so offline-augmented OCR data (any-length polygons after clipping) round-trips, and MMOCR reads it too.
/// </summary>
public static class TextManifest
{
    public sealed record Entry(string ImagePath, int Width, int Height, IReadOnlyList<Polygon> Regions, string? Group = null,
        int? Copy = null);

    public static void Write(string path, IEnumerable<Entry> entries)
    {
        IO.AtomicFile.Write(path, temp =>
        {
            using var stream = File.Create(temp);
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
            json.WriteStartObject();
            json.WriteStartObject("metainfo");
            json.WriteString("dataset_type", "TextDetDataset");
            json.WriteString("task_name", "textdet");
            json.WriteStartArray("category");
            json.WriteStartObject(); json.WriteNumber("id", 0); json.WriteString("name", "text"); json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartArray("data_list");
            foreach (var e in entries)
            {
                json.WriteStartObject();
                json.WriteString("img_path", e.ImagePath);
                json.WriteNumber("height", e.Height);
                json.WriteNumber("width", e.Width);
                if (e.Group is not null) json.WriteString("group", e.Group);
                if (e.Copy is not null) json.WriteNumber("copy", e.Copy.Value);
                json.WriteStartArray("instances");
                foreach (var r in e.Regions)
                {
                    json.WriteStartObject();
                    json.WriteStartArray("polygon");
                    foreach (var q in r.Points) { json.WriteNumberValue(Math.Round(q.X, 2)); json.WriteNumberValue(Math.Round(q.Y, 2)); }
                    json.WriteEndArray();
                    json.WriteStartArray("bbox");
                    foreach (var v in new[] { r.Points.Min(q => q.X), r.Points.Min(q => q.Y), r.Points.Max(q => q.X),
                        r.Points.Max(q => q.Y) }) json.WriteNumberValue(Math.Round(v, 2));
                    json.WriteEndArray();
                    json.WriteNumber("bbox_label", 0);
                    json.WriteBoolean("ignore", r.Tag == IcdarText.DontCare);
                    if (r.Tag is not null) json.WriteString("text", r.Tag);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>Reads a manifest written by <see cref="Write"/> or by MMOCR's dataset converters; image paths are relative to the
    /// manifest's folder.</summary>
    public static DatasetLoad Open(string path)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(path))!;
        JsonElement list;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("images",
                out var ufo) && ufo.ValueKind == JsonValueKind.Object)
                using (doc) return UfoText.Read(path, root, ufo);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("data_list",
                out list) || list.ValueKind != JsonValueKind.Array)
                throw new PodiumException($"{path}: not a text-detection manifest (expected an object with a \"data_list\" array, or " +
                    $"UFO's \"images\" object)");
        }
        catch (JsonException e) { throw new PodiumException($"{path}: not valid JSON ({e.Message.Split('.')[0]})"); }
        using (doc)
        {
            var skipped = new List<SkippedInput>();
            var images = new List<TextImage>();
            int index = 0;
            foreach (var item in list.EnumerateArray())
            {
                string where = $"{path} data_list[{index++}]";
                try
                {
                    var rel = item.GetProperty("img_path").GetString() ?? throw new PodiumException("img_path is null");
                    var full = Path.IsPathRooted(rel) ? rel : Path.Combine(root, rel);
                    var problem = ImageDecoder.Check(full);
                    if (problem is not null) { skipped.Add(new SkippedInput($"{where} ({rel})", problem)); continue; }
                    var regions = new List<Polygon>();
                    if (item.TryGetProperty("instances", out var instances))
                    {
                        int n = 0;
                        foreach (var inst in instances.EnumerateArray())
                        {
                            var (region, note) = Instance(inst);
                            if (note is not null) skipped.Add(new SkippedInput($"{where}.instances[{n}]", note));
                            if (region is not null) regions.Add(region);
                            n++;
                        }
                    }
                    if (regions.Count == 0 && instances.ValueKind == JsonValueKind.Array && instances.GetArrayLength() > 0)
                    {
                        skipped.Add(new SkippedInput($"{where} ({rel})", "no usable instance (each is listed)"));
                        continue;
                    }
                    string? group = item.TryGetProperty("group", out var g) ? g.GetString() : null;
                    images.Add(new TextImage(full, regions, group));
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or PodiumException)
                {
                    skipped.Add(new SkippedInput(where, e is KeyNotFoundException ? "missing img_path or polygon" : e.Message));
                }
            }
            if (images.Count == 0) throw new PodiumException($"{path}: no usable entries ({skipped.Count} " +
                $"skipped{(skipped.Count > 0 ? ": " + skipped[0].Problem : "")})");
            return new DatasetLoad(new TextDetectionDataset(images, root), skipped);
        }
    }

    /// <summary>One instance's region under <see cref="TextPolygonRules"/>, or null and why not.</summary>
    private static (Polygon? Region, string? Note) Instance(JsonElement inst)
    {
        double[] flat;
        try { flat = inst.GetProperty("polygon").EnumerateArray().Select(v => v.GetDouble()).ToArray(); }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return (null, "no polygon [x1, y1, x2, y2, ...] of numbers: left out");
        }
        if (flat.Length % 2 != 0) return (null, $"a polygon of {flat.Length} numbers (x, y pairs): left out");
        bool ignore = inst.TryGetProperty("ignore", out var ig) && ig.ValueKind == JsonValueKind.True;
        string? text = inst.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return TextPolygonRules.Apply(new Polygon(Enumerable.Range(0, flat.Length / 2).Select(k => new Point2d(flat[2 * k],
            flat[2 * k + 1])).ToArray(), ignore ? IcdarText.DontCare : text));
    }
}
