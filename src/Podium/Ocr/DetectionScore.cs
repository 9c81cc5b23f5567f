namespace Podium.Ocr;

/// <summary>Pooled precision, recall and hmean over a set of images, with each image's own.</summary>
public sealed record DetectionScore(IReadOnlyList<ImageDetectionScore> Images)
{
    /// <summary>The per-image breakdown as CSV (val_per_image.csv, ocr evaluate --out).</summary>
    public void WritePerImage(string path) =>
        IO.AtomicFile.WriteAllLines(path, ["image,truth,detections,matched,truth_dont_care,detections_dont_care,precision,recall,hmean",
            .. Images.Select(i => IO.Csv.Line([i.Name, .. new[] { i.GtCare, i.DetCare, i.Matched, i.GtDontCare,
                i.DetDontCare }.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                .. new[] { i.Precision, i.Recall, i.Hmean }.Select(v => v.ToString("F4",
                    System.Globalization.CultureInfo.InvariantCulture))]))]);

    /// <summary>Detects every image of labelled text data and scores the detections (ICDAR 2015 protocol).</summary>
    public static DetectionScore Detect(DbTextDetector detector, Data.ImageDataset data, Action<DetectionResult>? each = null)
    {
        var scores = new List<ImageDetectionScore>(data.Count);
        for (int i = 0; i < data.Count; i++)
        {
            using var image = data.Read(i, detector.Channels);
            var found = detector.Detect(image);
            each?.Invoke(found);
            scores.Add(DetectionEvaluation.ScoreImage(Path.GetFileNameWithoutExtension(data.Locate(i)), data.Polygons(i) ?? [],
                found.Regions.Select(r => r.Points).ToList()));
        }
        return new DetectionScore(scores);
    }

    public int GtCare => Images.Sum(i => i.GtCare);
    public int DetCare => Images.Sum(i => i.DetCare);
    public int Matched => Images.Sum(i => i.Matched);
    public double Recall => GtCare == 0 ? 0 : Matched / (double)GtCare;
    public double Precision => DetCare == 0 ? 0 : Matched / (double)DetCare;
    public double Hmean => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}
