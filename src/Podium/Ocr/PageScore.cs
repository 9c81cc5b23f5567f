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
        var gt = truth.Select(t => (Shape: DetectionEvaluation.ToGeometry(t.Points), t.Tag, DontCare: t.Tag == IcdarText.DontCare))
            .Where(t => t.Shape is not null).ToList();
        var det = read.Select(r => (Shape: DetectionEvaluation.ToGeometry(r.Points), r.Text)).Where(d => d.Shape is not null)
            .Select(d => (Shape: (Geometry)d.Shape!, d.Text, DontCare: gt.Any(t => t.DontCare && d.Shape!.Area > 0
                && t.Shape!.Intersection(d.Shape).Area / d.Shape.Area > 0.5))).ToList();
        var gtUsed = new bool[gt.Count];
        var detUsed = new bool[det.Count];
        int located = 0, correct = 0;
        for (int i = 0; i < gt.Count; i++)
            for (int j = 0; j < det.Count; j++)
            {
                if (gtUsed[i] || detUsed[j] || gt[i].DontCare || det[j].DontCare) continue;
                if (DetectionEvaluation.Iou(gt[i].Shape!, det[j].Shape) <= iou) continue;
                gtUsed[i] = detUsed[j] = true;
                located++;
                if (string.Equals(gt[i].Tag?.Trim(), det[j].Text.Trim(), StringComparison.Ordinal)) correct++;
            }
        var cared = truth.Where(t => t.Tag != IcdarText.DontCare).ToList();
        return new PageScore(name, gt.Count(t => !t.DontCare), det.Count(d => !d.DontCare), located, correct,
            ReadingOrder.Text([.. cared.Select(t => t.Points)], [.. cared.Select(t => t.Tag ?? "")]),
            ReadingOrder.Text([.. read.Select(r => r.Points)], [.. read.Select(r => r.Text)]));
    }
}
