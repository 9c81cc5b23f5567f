using System.Globalization;
using System.Text.Json;
using OpenCvSharp;
using Podium.Augment;
using Podium.Data;

namespace Podium.Ocr;

/// <summary>One image with its text regions (polygons tagged with their transcription; "###" = ignore).</summary>
public sealed record TextImage(string Path, IReadOnlyList<Polygon> Regions, string? Group = null);

/// <summary>Images with text-region polygons, for detection; every sample has the one class "text".</summary>
public sealed class TextDetectionDataset(IReadOnlyList<TextImage> images, string root) : ImageDataset
{
    public IReadOnlyList<TextImage> Images { get; } = images;
    public string Root { get; } = root;
    public override int Count => Images.Count;
    public override IReadOnlyList<string> Classes { get; } = ["text"];
    public override int Label(int index) => 0;
    public override string Locate(int index) => Images[index].Path;
    public override Mat Read(int index, int channels) => ImageDecoder.Read(Images[index].Path, channels);
    public override IReadOnlyList<Polygon>? Polygons(int index) => Images[index].Regions;
    public override string[]? Groups() => Images.Any(i => i.Group is not null) ? Images.Select(i => i.Group ?? i.Path).ToArray() : null;
}

/// <summary>
/// ICDAR 2015 text annotations, one region per line: <c>x1,y1,x2,y2,x3,y3,x4,y4,transcription</c>
/// (a clockwise quad; the transcription may itself hold commas, so only the first 8 fields are
/// split off; "###" marks an illegible region to ignore). The layout of ICDAR 2015 and SROIE.
/// Curved-text sets write more points per line: <c>points</c> N reads exactly N (CTW1500: 14), 0 any number, the
/// coordinates running up to the first field that is not a number (a transcription that is itself a number then needs N,
/// since "…,12,50" could be a point or the text "12,50"; an odd run leaves its last number to the text).
/// </summary>
public static class IcdarText
{
    public const string DontCare = "###";
    private static readonly string[] ImageFolders = ["img", "imgs", "images"];
    private static readonly string[] AnnotationFolders = ["box", "boxes", "gt", "gts", "labels", "annotations"];

    /// <summary>Points per line of ICDAR 2015 files; 0 reads polygons of any length.</summary>
    public const int QuadPoints = 4;

    /// <summary>A points-per-line setting, or a one-line error naming <paramref name="option"/>.</summary>
    public static int CheckPoints(int points, string option) =>
        points is 0 or >= 3 ? points : throw new PodiumException($"{option}: {points} points per line; at least 3, or 0 for any number");

    /// <summary>The regions of one annotation file; a bad line is a <see cref="PodiumException"/> naming file and line.</summary>
    public static List<Polygon> Read(string path, int points = QuadPoints)
    {
        var regions = new List<Polygon>();
        int number = 0;
        foreach (var raw in File.ReadLines(path)) // handles CRLF and a UTF-8 BOM
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var (coordinates, text) = points > 0 ? Fixed(line, points, path, number) : AnyLength(line, path, number);
            var polygon = new Point2d[coordinates.Length / 2];
            for (int k = 0; k < polygon.Length; k++)
            {
                if (!double.TryParse(coordinates[2 * k], NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ||
                    !double.TryParse(coordinates[2 * k + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
                    throw new PodiumException($"{path} line {number}: point {k + 1} is not a number pair: '{coordinates[2 * k]},{coordinates[2 * k + 1]}'");
                polygon[k] = new Point2d(x, y);
            }
            regions.Add(new Polygon(polygon, text));
        }
        return regions;
    }

    private static (string[] Coordinates, string Text) Fixed(string line, int points, string path, int number)
    {
        var fields = line.Split(',', 2 * points + 1);
        if (fields.Length < 2 * points + 1)
            throw new PodiumException($"{path} line {number}: expected x1,y1,...,x{points},y{points},transcription, got {fields.Length} fields");
        return (fields[..^1], fields[^1]);
    }

    private static (string[] Coordinates, string Text) AnyLength(string line, string path, int number)
    {
        var fields = line.Split(',');
        int n = 0;
        while (n < fields.Length && double.TryParse(fields[n], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) n++;
        if (n % 2 == 1) n--; // an odd run of numbers: the last one starts the transcription
        if (n < 6) throw new PodiumException($"{path} line {number}: expected at least 3 points (x1,y1,x2,y2,x3,y3,...,transcription), got {n / 2}");
        return (fields[..n], string.Join(',', fields[n..]));
    }

    /// <summary>An ICDAR/SROIE folder: images in img/ (or images/), NAME.txt or gt_NAME.txt beside them in box/ (or gt/, labels/...).</summary>
    public static bool LooksLikeIcdarFolder(string root, out string imageDir, out string annotationDir)
    {
        imageDir = ImageFolders.Select(f => Path.Combine(root, f)).FirstOrDefault(Directory.Exists) ?? "";
        annotationDir = AnnotationFolders.Select(f => Path.Combine(root, f)).FirstOrDefault(d => Directory.Exists(d) && Directory.EnumerateFiles(d, "*.txt").Any()) ?? "";
        return imageDir.Length > 0 && annotationDir.Length > 0;
    }

    public static DatasetLoad OpenFolder(string root, string imageDir, string annotationDir, int points = QuadPoints)
    {
        var skipped = new List<SkippedInput>();
        var images = new List<TextImage>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(imageDir).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(path).StartsWith('.')) continue;
            var stem = Path.GetFileNameWithoutExtension(path);
            var annotation = new[] { stem + ".txt", "gt_" + stem + ".txt" }.Select(n => Path.Combine(annotationDir, n)).FirstOrDefault(File.Exists);
            if (annotation is not null) used.Add(annotation); // a bad image's annotation is not an orphan as well
            var problem = ImageDecoder.Problem(path);
            if (problem is not null) { skipped.Add(new SkippedInput(path, problem)); continue; }
            if (annotation is null) { skipped.Add(new SkippedInput(path, $"no annotation file ({Path.Combine(annotationDir, stem + ".txt")})")); continue; }
            try
            {
                var regions = Read(annotation, points);
                if (regions.Count == 0) skipped.Add(new SkippedInput(path, $"empty annotation file ({annotation}: no text regions)"));
                else images.Add(new TextImage(path, regions));
            }
            catch (PodiumException e) { skipped.Add(new SkippedInput(path, e.Message)); }
        }
        foreach (var orphan in Directory.GetFiles(annotationDir, "*.txt").Order(StringComparer.Ordinal).Where(a => !used.Contains(a)))
            skipped.Add(new SkippedInput(orphan, "annotation without an image"));
        if (images.Count == 0) throw new PodiumException($"{root}: no image with a readable annotation ({skipped.Count} skipped{(skipped.Count > 0 ? ": " + skipped[0].Problem : "")})");
        return new DatasetLoad(new TextDetectionDataset(images, root), skipped);
    }
}

/// <summary>
/// A text-detection manifest in MMOCR's format (<c>{"metainfo": …, "data_list": [{"img_path",
/// "height", "width", "instances": [{"polygon": [x1, y1, …], "bbox", "bbox_label", "ignore", "text"}]}]}</c>),
/// so offline-augmented OCR data (any-length polygons after clipping) round-trips, and MMOCR reads it too.
/// </summary>
public static class TextManifest
{
    public sealed record Entry(string ImagePath, int Width, int Height, IReadOnlyList<Polygon> Regions, string? Group = null, int? Copy = null);

    public static void Write(string path, IEnumerable<Entry> entries)
    {
        Tracking.AtomicFile.Write(path, temp =>
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
                    foreach (var v in new[] { r.Points.Min(q => q.X), r.Points.Min(q => q.Y), r.Points.Max(q => q.X), r.Points.Max(q => q.Y) }) json.WriteNumberValue(Math.Round(v, 2));
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

    /// <summary>Reads a manifest written by <see cref="Write"/> or by MMOCR's dataset converters; image paths are relative to the manifest's folder.</summary>
    public static DatasetLoad Open(string path)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(path))!;
        JsonElement list;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("images", out var ufo) && ufo.ValueKind == JsonValueKind.Object)
                using (doc) return UfoText.Read(path, root, ufo);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("data_list", out list) || list.ValueKind != JsonValueKind.Array)
                throw new PodiumException($"{path}: not a text-detection manifest (expected an object with a \"data_list\" array, or UFO's \"images\" object)");
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
                        foreach (var inst in instances.EnumerateArray())
                        {
                            var flat = inst.GetProperty("polygon").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                            if (flat.Length % 2 != 0 || flat.Length < 6) throw new PodiumException($"a polygon has {flat.Length} numbers; at least 3 x,y pairs are needed");
                            bool ignore = inst.TryGetProperty("ignore", out var ig) && ig.ValueKind == JsonValueKind.True;
                            string? text = inst.TryGetProperty("text", out var t) ? t.GetString() : null;
                            regions.Add(new Polygon(Enumerable.Range(0, flat.Length / 2).Select(k => new Point2d(flat[2 * k], flat[2 * k + 1])).ToArray(), ignore ? IcdarText.DontCare : text));
                        }
                    string? group = item.TryGetProperty("group", out var g) ? g.GetString() : null;
                    images.Add(new TextImage(full, regions, group));
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or PodiumException)
                {
                    skipped.Add(new SkippedInput(where, e is KeyNotFoundException ? "missing img_path or polygon" : e.Message));
                }
            }
            if (images.Count == 0) throw new PodiumException($"{path}: no usable entries ({skipped.Count} skipped{(skipped.Count > 0 ? ": " + skipped[0].Problem : "")})");
            return new DatasetLoad(new TextDetectionDataset(images, root), skipped);
        }
    }
}

/// <summary>
/// Text regions against their images' real sizes (found by decoding, in parallel): a region wholly outside its image is
/// left out, one partly outside is clipped to it; both are counted, per file, as skipped inputs.
/// </summary>
public static class TextRegionCheck
{
    public static ImageDataset Fit(ImageDataset data, List<SkippedInput> skipped)
    {
        if (data is not TextDetectionDataset text) return data;
        var fitted = new TextImage[text.Count];
        var problems = new List<SkippedInput>?[text.Count];
        Parallel.For(0, text.Count, i =>
        {
            var item = text.Images[i];
            using var image = ImageDecoder.Read(item.Path, 1);
            int w = image.Cols, h = image.Rows;
            var kept = new List<Polygon>();
            var local = new List<SkippedInput>();
            foreach (var r in item.Regions)
            {
                if (r.Points.All(p => p.X >= 0 && p.Y >= 0 && p.X <= w && p.Y <= h)) { kept.Add(r); continue; }
                var clipped = r.Points.Select(p => new Point2d(Math.Clamp(p.X, 0, w), Math.Clamp(p.Y, 0, h))).ToArray();
                if (Geometry.Area(clipped) < 1) local.Add(new SkippedInput(item.Path, $"a text region outside the {w}x{h} image (left out)"));
                else
                {
                    kept.Add(r with { Points = clipped });
                    local.Add(new SkippedInput(item.Path, $"a text region partly outside the {w}x{h} image (clipped to it)"));
                }
            }
            fitted[i] = item with { Regions = kept };
            problems[i] = local;
        });
        foreach (var p in problems) if (p is not null) skipped.AddRange(p);
        return new TextDetectionDataset(fitted, text.Root);
    }
}

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
            if (file is null) { skipped.Add(new SkippedInput(where, $"image not found (looked in {Path.Combine(root, "images")} and {root})")); continue; }
            var problem = ImageDecoder.Check(file);
            if (problem is not null) { skipped.Add(new SkippedInput(file, problem)); continue; }
            var regions = new List<Polygon>();
            if (image.Value.TryGetProperty("words", out var words) && words.ValueKind == JsonValueKind.Object)
                foreach (var word in words.EnumerateObject())
                {
                    try
                    {
                        var points = word.Value.GetProperty("points").EnumerateArray().Select(p => new Point2d(p[0].GetDouble(), p[1].GetDouble())).ToArray();
                        if (points.Length < 3) { skipped.Add(new SkippedInput($"{where}.words.{word.Name}", $"a polygon with {points.Length} points (at least 3)")); continue; }
                        bool illegible = word.Value.TryGetProperty("illegibility", out var il) && il.ValueKind == JsonValueKind.True;
                        string? text = word.Value.TryGetProperty("transcription", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                        regions.Add(new Polygon(points, illegible ? IcdarText.DontCare : text));
                    }
                    catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
                    {
                        skipped.Add(new SkippedInput($"{where}.words.{word.Name}", "a word without points [[x, y], ...]"));
                    }
                }
            if (regions.Count == 0) { skipped.Add(new SkippedInput(file, "no words")); continue; }
            result.Add(new TextImage(file, regions));
        }
        if (result.Count == 0) throw new PodiumException($"{path}: no usable images ({skipped.Count} skipped{(skipped.Count > 0 ? ": " + skipped[0].Problem : "")})");
        return new DatasetLoad(new TextDetectionDataset(result, root), skipped);
    }
}
