using NetTopologySuite.Geometries;
using Podium.Data;
using Polygon = Podium.Augment.Polygon;

namespace Podium.Ocr;

/// <summary>One page's end-to-end counts: cared-for truth and read regions, read regions matched to a truth region by IoU &gt; 0.5
/// (<paramref name="Located"/>) and those whose text is also equal (<paramref name="Correct"/>), and both sides' text in reading
/// order.</summary>
public sealed record PageScore(string Name, int Truth, int Read, int Located, int Correct, string TruthText, string ReadText)
{
    /// <summary>Scores a page's reading against its truth regions (tagged with their transcriptions; ### don't care).</summary>
    public static PageScore Of(string name, IReadOnlyList<Polygon> truth, IReadOnlyList<ReadRegion> read, double iou = 0.5)
    {
        // A region that is not a simple polygon with area counts on neither side, as the detection protocol skips it.
        var truthShapes = truth.Select(t => (Shape: DetectionEvaluation.ToGeometry(t.Points), t.Tag)).Where(t => t.Shape is not null)
            .ToList();
        var gt = truthShapes.Select(t => (Shape: (Geometry)t.Shape!, DontCare: t.Tag == IcdarText.DontCare)).ToList();
        var tags = truthShapes.Select(t => t.Tag).ToList();
        var readShapes = read.Select(r => (Shape: DetectionEvaluation.ToGeometry(r.Points), r.Text)).Where(r => r.Shape is not null)
            .ToList();
        var det = readShapes.Select(r => (Geometry)r.Shape!).ToList();
        var texts = readShapes.Select(r => r.Text).ToList();
        var (dontCare, pairs) = DetectionEvaluation.Match(gt, det, iou);
        int correct = pairs.Count(p => string.Equals(tags[p.Truth]?.Trim(), texts[p.Detection].Trim(), StringComparison.Ordinal));
        var cared = truth.Where(t => t.Tag != IcdarText.DontCare).ToList();
        return new PageScore(name, gt.Count(t => !t.DontCare), dontCare.Count(c => !c), pairs.Count, correct,
            ReadingOrder.Text([.. cared.Select(t => t.Points)], [.. cared.Select(t => t.Tag ?? "")]),
            ReadingOrder.Text([.. read.Select(r => r.Points)], [.. read.Select(r => r.Text)]));
    }
}
