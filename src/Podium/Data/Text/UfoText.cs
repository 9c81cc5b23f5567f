using System.Text.Json;
using OpenCvSharp;
using Podium.Augment;

namespace Podium.Data;

/// <summary>
/// UFO-style annotations (Upstage's OCR format): <c>{"images": {"NAME.jpg": {"words": {"ID": {"points": [[x, y], …],
/// "transcription": "…", "illegibility": false}}}}}</c>. Words may have any number of points; illegible ones are
/// don't-care. Images are looked for beside the file and in its images/ folder.
/// </summary>
public static class UfoText
{
    public static DatasetLoad Read(string path, string root, JsonElement images)
    {
        var skipped = new List<SkippedInput>();
        var result = new List<TextImage>();
        foreach (var image in images.EnumerateObject())
        {
            string where = $"{path} images.{image.Name}";
            var file = new[] { Path.Combine(root, "images", image.Name), Path.Combine(root, image.Name) }.FirstOrDefault(File.Exists);
            if (file is null)
            {
                skipped.Add(new SkippedInput(where,
                $"image not found (looked in {Path.Combine(root, "images")} and {root})")); continue;
            }
            var problem = ImageDecoder.Check(file);
            if (problem is not null) { skipped.Add(new SkippedInput(file, problem)); continue; }
            var regions = new List<Polygon>();
            if (image.Value.TryGetProperty("words", out var words) && words.ValueKind == JsonValueKind.Object)
                foreach (var word in words.EnumerateObject())
                {
                    try
                    {
                        var points = word.Value.GetProperty("points").EnumerateArray().Select(p => new Point2d(p[0].GetDouble(),
                            p[1].GetDouble())).ToArray();
                        bool illegible = word.Value.TryGetProperty("illegibility", out var il) && il.ValueKind == JsonValueKind.True;
                        string? text = word.Value.TryGetProperty("transcription",
                            out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                        var (region, note) = TextPolygonRules.Apply(new Polygon(points, illegible ? IcdarText.DontCare : text));
                        if (note is not null) skipped.Add(new SkippedInput($"{where}.words.{word.Name}", note));
                        if (region is not null) regions.Add(region);
                    }
                    catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException
                        or FormatException)
                    {
                        skipped.Add(new SkippedInput($"{where}.words.{word.Name}", "a word without points [[x, y], ...]"));
                    }
                }
            if (regions.Count == 0) { skipped.Add(new SkippedInput(file, "no words")); continue; }
            result.Add(new TextImage(file, regions));
        }
        if (result.Count == 0) throw new PodiumException($"{path}: no usable images ({skipped.Count} " +
            $"skipped{(skipped.Count > 0 ? ": " + skipped[0].Problem : "")})");
        return new DatasetLoad(new TextDetectionDataset(result, root), skipped);
    }
}
