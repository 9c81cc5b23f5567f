using System.Globalization;
using OpenCvSharp;
using Podium.Augment;

namespace Podium.Data;

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

    /// <summary>
    /// The regions of one annotation file. A bad line (too few fields, a coordinate that is not a finite number, crossing edges) is
    /// one entry of <paramref name="problems"/> naming file and line, and the other lines are kept; without a list, the first bad
    /// line is a <see cref="PodiumException"/>. A quad put back in order (<see cref="TextPolygonRules"/>) is kept and noted.
    /// </summary>
    public static List<Polygon> Read(string path, int points = QuadPoints, List<SkippedInput>? problems = null)
    {
        var regions = new List<Polygon>();
        int number = 0;
        foreach (var raw in File.ReadLines(path)) // handles CRLF and a UTF-8 BOM
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var (region, note) = Line(line, points);
            if (note is not null)
            {
                if (problems is null && region is null) throw new PodiumException($"{path} line {number}: {note}");
                problems?.Add(new SkippedInput($"{path} line {number}", note));
            }
            if (region is not null) regions.Add(region);
        }
        return regions;
    }

    /// <summary>One line's region, or null and why not; a note when the region was changed.</summary>
    private static (Polygon? Region, string? Note) Line(string line, int points)
    {
        string[] coordinates;
        string text;
        try { (coordinates, text) = points > 0 ? Fixed(line, points) : AnyLength(line); }
        catch (FormatException e) { return (null, e.Message + ": line left out"); }
        var polygon = new Point2d[coordinates.Length / 2];
        for (int k = 0; k < polygon.Length; k++)
        {
            if (!double.TryParse(coordinates[2 * k], NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ||
                !double.TryParse(coordinates[2 * k + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
                return (null, $"point {k + 1} is not a number pair ('{coordinates[2 * k]},{coordinates[2 * k + 1]}'): line left out");
            polygon[k] = new Point2d(x, y);
        }
        return TextPolygonRules.Apply(new Polygon(polygon, text));
    }

    private static (string[] Coordinates, string Text) Fixed(string line, int points)
    {
        var fields = line.Split(',', 2 * points + 1);
        if (fields.Length < 2 * points + 1)
            throw new FormatException($"expected x1,y1,...,x{points},y{points},transcription, got {fields.Length} fields");
        return (fields[..^1], fields[^1]);
    }

    private static (string[] Coordinates, string Text) AnyLength(string line)
    {
        var fields = line.Split(',');
        int n = 0;
        while (n < fields.Length && double.TryParse(fields[n], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) n++;
        if (n % 2 == 1) n--; // an odd run of numbers: the last one starts the transcription
        if (n < 6) throw new FormatException($"expected at least 3 points (x1,y1,x2,y2,x3,y3,...,transcription), got {n / 2}");
        return (fields[..n], string.Join(',', fields[n..]));
    }

    /// <summary>An ICDAR/SROIE folder: images in img/ (or images/), NAME.txt or gt_NAME.txt beside them in box/ (or gt/,
    /// labels/...).</summary>
    public static bool LooksLikeIcdarFolder(string root, out string imageDir, out string annotationDir)
    {
        imageDir = ImageFolders.Select(f => Path.Combine(root, f)).FirstOrDefault(Directory.Exists) ?? "";
        annotationDir = AnnotationFolders.Select(f => Path.Combine(root,
            f)).FirstOrDefault(d => Directory.Exists(d) && Directory.EnumerateFiles(d, "*.txt").Any()) ?? "";
        return imageDir.Length > 0 && annotationDir.Length > 0;
    }

    /// <summary>The boxes file in <paramref name="dir"/> for image <paramref name="imagePath"/>: NAME.txt or gt_NAME.txt, or also
    /// res_NAME.txt (a detector's results) where <paramref name="results"/>; null when there is none.</summary>
    public static string? BoxesFile(string dir, string imagePath, bool results = false)
    {
        var stem = Path.GetFileNameWithoutExtension(imagePath);
        string[] names = results ? [stem + ".txt", "gt_" + stem + ".txt", "res_" + stem + ".txt"] : [stem + ".txt", "gt_" + stem + ".txt"];
        return names.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists);
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
            var annotation = BoxesFile(annotationDir, path);
            if (annotation is not null) used.Add(annotation); // a bad image's annotation is not an orphan as well
            var problem = ImageDecoder.Problem(path);
            if (problem is not null) { skipped.Add(new SkippedInput(path, problem)); continue; }
            if (annotation is null)
            {
                skipped.Add(new SkippedInput(path,
                $"no annotation file ({Path.Combine(annotationDir, stem + ".txt")})")); continue;
            }
            int before = skipped.Count;
            var regions = Read(annotation, points, skipped);
            if (regions.Count == 0)
                skipped.Add(new SkippedInput(path, skipped.Count == before ? $"empty annotation file ({annotation}: no text regions)"
                    : $"no usable text region in {annotation} (its lines are listed)"));
            else images.Add(new TextImage(path, regions));
        }
        foreach (var orphan in Directory.GetFiles(annotationDir, "*.txt").Order(StringComparer.Ordinal).Where(a => !used.Contains(a)))
            skipped.Add(new SkippedInput(orphan, "annotation without an image"));
        if (images.Count == 0) throw new PodiumException($"{root}: no image with a readable annotation ({skipped.Count} " +
            $"skipped{(skipped.Count > 0 ? ": " + skipped[0].Problem : "")})");
        return new DatasetLoad(new TextDetectionDataset(images, root), skipped);
    }
}
