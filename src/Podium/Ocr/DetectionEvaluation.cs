using System.Globalization;
using NetTopologySuite.Geometries;
using Podium.Data;
using CvPoint = OpenCvSharp.Point2d;
using Geometry = NetTopologySuite.Geometries.Geometry;

namespace Podium.Ocr;

/// <summary>
/// The ICDAR 2015 incidental-text detection protocol (the official script, as DBNet's evaluator ports it):
/// a detection that lies more than <c>areaPrecision</c> of its own area inside a don't-care ("###") region is
/// itself don't-care; then truth and detections are matched one to one, greedily in file order, where
/// IoU &gt; <c>iou</c>; precision and recall are pooled over all images (matched / cared-for detections,
/// matched / cared-for truth).
/// </summary>
public static class DetectionEvaluation
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>What a detection run reports per validation: pooled hmean, precision and recall.</summary>
    public static readonly string[] MetricNames = ["hmean", "precision", "recall"];

    public static ImageDetectionScore ScoreImage(string name, IReadOnlyList<Augment.Polygon> truth, IReadOnlyList<CvPoint[]> detections,
        double iou = 0.5, double areaPrecision = 0.5)
    {
        int invalid = 0;
        var gt = new List<(Geometry Shape, bool DontCare)>();
        foreach (var t in truth)
        {
            if (ToGeometry(t.Points) is { } g) gt.Add((g, t.Tag == IcdarText.DontCare));
            else invalid++;
        }
        var det = new List<Geometry>();
        foreach (var d in detections)
        {
            if (ToGeometry(d) is { } g) det.Add(g);
            else invalid++;
        }
        var (detDontCare, pairs) = Match(gt, det, iou, areaPrecision);
        int gtDontCare = gt.Count(t => t.DontCare), ignored = detDontCare.Count(c => c);
        return new ImageDetectionScore(name, gt.Count - gtDontCare, det.Count - ignored, pairs.Count, gtDontCare, ignored, invalid);
    }

    /// <summary>
    /// The protocol's matching: which detections are don't-care (more than <paramref name="areaPrecision"/> of their area inside a
    /// don't-care truth region), then the one-to-one (truth, detection) pairs of the rest, greedily in file order, where IoU &gt;
    /// <paramref name="iou"/>.
    /// </summary>
    public static (bool[] DetectionDontCare, List<(int Truth, int Detection)> Pairs) Match(
        IReadOnlyList<(Geometry Shape, bool DontCare)> truth, IReadOnlyList<Geometry> detections, double iou = 0.5,
        double areaPrecision = 0.5)
    {
        var dontCare = detections.Select(g => g.Area > 0 && truth.Any(t => t.DontCare && t.Shape.Intersection(g).Area / g.Area >
            areaPrecision)).ToArray();
        var truthUsed = new bool[truth.Count];
        var detectionUsed = new bool[detections.Count];
        var pairs = new List<(int, int)>();
        for (int i = 0; i < truth.Count; i++)
            for (int j = 0; j < detections.Count; j++)
            {
                if (truthUsed[i] || detectionUsed[j] || truth[i].DontCare || dontCare[j]) continue;
                if (Iou(truth[i].Shape, detections[j]) <= iou) continue;
                truthUsed[i] = detectionUsed[j] = true;
                pairs.Add((i, j));
            }
        return (dontCare, pairs);
    }

    public static double Iou(Geometry a, Geometry b)
    {
        double inter = a.Intersection(b).Area;
        double union = a.Area + b.Area - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /// <summary>A closed NTS polygon of the points, or null when it is not a simple polygon with area (the official script skips
    /// those).</summary>
    public static NetTopologySuite.Geometries.Polygon? ToGeometry(IReadOnlyList<CvPoint> points)
    {
        if (points.Count < 3) return null;
        var ring = points.Select(p => new Coordinate(p.X, p.Y)).Append(new Coordinate(points[0].X, points[0].Y)).ToArray();
        try
        {
            var polygon = Factory.CreatePolygon(ring);
            return polygon.IsValid && polygon.IsSimple && polygon.Area > 0 ? polygon : null;
        }
        catch (ArgumentException) { return null; }
    }

    /// <summary>
    /// Detections in an ICDAR result file: one polygon per line, <c>x1,y1,...,xn,yn[,confidence]</c> (n ≥ 3; an odd
    /// count of leading numbers ends with the confidence), anything after the numbers (a transcription) ignored.
    /// A bad line (fewer than 3 points, a coordinate that is not finite) is an entry of <paramref name="problems"/> and the rest
    /// are read; without a list it is a <see cref="PodiumException"/> naming file and line.
    /// </summary>
    public static List<CvPoint[]> ReadDetections(string path, List<SkippedInput>? problems = null)
    {
        var result = new List<CvPoint[]>();
        int number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var values = new List<double>();
            foreach (var field in line.Split(','))
            {
                if (!double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) break;
                values.Add(v);
            }
            if (values.Count % 2 == 1) values.RemoveAt(values.Count - 1); // the confidence
            string? problem = values.Count < 6 ? $"a polygon needs at least 3 x,y pairs, got {values.Count / 2}"
                : values.All(double.IsFinite) ? null : "a coordinate is not a finite number";
            if (problem is null)
                result.Add(Enumerable.Range(0, values.Count / 2).Select(k => new CvPoint(values[2 * k], values[2 * k + 1])).ToArray());
            else if (problems is null) throw new PodiumException($"{path} line {number}: {problem}");
            else problems.Add(new SkippedInput($"{path} line {number}", problem + ": line left out"));
        }
        return result;
    }

    /// <summary>The key that pairs a truth file with a result file: the stem without gt_ / res_ prefixes.</summary>
    public static string Key(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        foreach (var prefix in new[] { "gt_", "res_" })
            if (stem.StartsWith(prefix, StringComparison.Ordinal)) return stem[prefix.Length..];
        return stem;
    }

    /// <summary>
    /// Scores a folder of result files against a folder of ICDAR truth files (gt_img_1.txt ~ res_img_1.txt ~ img_1.txt).
    /// An image without a result file has no detections (counted); a result without truth, or an unreadable file, is reported and skipped.
    /// </summary>
    public static (DetectionScore Score, List<SkippedInput> Skipped, int MissingResults) EvaluateFolders(string gtDir, string predDir,
        double iou = 0.5, double areaPrecision = 0.5, int textPoints = IcdarText.QuadPoints)
    {
        foreach (var dir in new[] { gtDir, predDir })
            if (!Directory.Exists(dir)) throw new PodiumException($"{dir}: no such folder");
        var truthFiles = Directory.GetFiles(gtDir, "*.txt").Order(StringComparer.Ordinal).ToList();
        if (truthFiles.Count == 0) throw new PodiumException($"{gtDir}: no .txt truth files");
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        var skipped = new List<SkippedInput>();
        foreach (var r in Directory.GetFiles(predDir, "*.txt").Order(StringComparer.Ordinal))
            if (!results.TryAdd(Key(r), r)) skipped.Add(new SkippedInput(r, $"a second result file for '{Key(r)}'"));
        var truthKeys = truthFiles.Select(Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, file) in results.Where(r => !truthKeys.Contains(r.Key)))
            skipped.Add(new SkippedInput(file, "result file without a truth file"));
        var scores = new List<ImageDetectionScore>();
        int missing = 0;
        foreach (var t in truthFiles)
        {
            // A bad truth line is listed and the image scored on its other lines: leaving the image out would change the score
            // silently.
            var truth = IcdarText.Read(t, textPoints, skipped);
            List<CvPoint[]> detections = [];
            if (!results.TryGetValue(Key(t), out var r)) missing++;
            else detections = ReadDetections(r, skipped);
            scores.Add(ScoreImage(Key(t), truth, detections, iou, areaPrecision));
        }
        return (new DetectionScore(scores), skipped, missing);
    }
}
