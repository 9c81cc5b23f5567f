using Podium.Evaluation;

namespace Podium.Ocr;

/// <summary>
/// End-to-end OCR scores over pages. ICDAR 2015's end-to-end protocol: truth and read regions matched one to one by IoU &gt; 0.5
/// as in detection (don't-care regions aside), a match counting only when the texts are equal; precision, recall and hmean
/// pooled over the pages. Detection alone (any text) beside it. And the pages' text in reading order against the truth's in the
/// same order: character error rate, SROIE Task 2's word precision, recall and F1.
/// </summary>
public sealed record EndToEndScore(IReadOnlyList<PageScore> Pages, TextRecognitionScore Text)
{
    public int Truth => Pages.Sum(p => p.Truth);
    public int Read => Pages.Sum(p => p.Read);
    public double Precision => Ratio(Pages.Sum(p => p.Correct), Read);
    public double Recall => Ratio(Pages.Sum(p => p.Correct), Truth);
    public double Hmean => Precision + Recall > 0 ? 2 * Precision * Recall / (Precision + Recall) : 0;
    public double DetectionHmean
    {
        get
        {
            double p = Ratio(Pages.Sum(x => x.Located), Read), r = Ratio(Pages.Sum(x => x.Located), Truth);
            return p + r > 0 ? 2 * p * r / (p + r) : 0;
        }
    }

    public static EndToEndScore Of(IReadOnlyList<PageScore> pages) =>
        new(pages, TextRecognitionScore.Of(pages.Select(p => (p.TruthText, p.ReadText))));

    private static double Ratio(int part, int whole) => whole > 0 ? (double)part / whole : 0;
}
