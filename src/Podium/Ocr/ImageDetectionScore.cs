namespace Podium.Ocr;

/// <summary>One image's detection result under the ICDAR 2015 protocol.</summary>
/// <param name="Invalid">Polygons left out because they are not simple (self-intersecting or degenerate), as the official script
/// does.</param>
public sealed record ImageDetectionScore(string Name, int GtCare, int DetCare, int Matched, int GtDontCare, int DetDontCare, int Invalid)
{
    /// <summary>Per image as the official script: no cared-for truth gives recall 1, and precision 1 only without detections.</summary>
    public double Recall => GtCare == 0 ? 1 : Matched / (double)GtCare;
    public double Precision => GtCare == 0 ? (DetCare > 0 ? 0 : 1) : DetCare == 0 ? 0 : Matched / (double)DetCare;
    public double Hmean => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}
