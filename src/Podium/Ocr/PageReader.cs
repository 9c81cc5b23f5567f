using System.Diagnostics;
using OpenCvSharp;

namespace Podium.Ocr;

/// <summary>End-to-end OCR of a page: the detector's regions, each warped upright (<see cref="TextCrops"/>), read by the
/// recogniser.</summary>
public sealed class PageReader(DbTextDetector detector, TextRecognizer recognizer, bool beam = false)
{
    public DbTextDetector Detector => detector;
    public TextRecognizer Recognizer => recognizer;

    /// <summary>Reads an RGB page.</summary>
    public PageReading Read(Mat page)
    {
        using var gray = detector.Channels == 1 ? page.CvtColor(ColorConversionCodes.RGB2GRAY) : null;
        var found = detector.Detect(gray ?? page);
        var clock = Stopwatch.StartNew();
        var crops = found.Regions.Select(r => TextCrops.Crop(page, r.Points)).ToList();
        double cropMs = clock.Elapsed.TotalMilliseconds;
        try
        {
            double network = recognizer.NetworkMs, decode = recognizer.GreedyMs + recognizer.BeamMs;
            var read = recognizer.Read(crops, beam);
            return new PageReading([.. found.Regions.Select((r, i) => new ReadRegion(r.Points, r.Score, read[i].Text, read[i].Confidence))],
                found.NetworkMs, found.PostProcessMs, cropMs, recognizer.NetworkMs - network,
                recognizer.GreedyMs + recognizer.BeamMs - decode);
        }
        finally { crops.ForEach(c => c.Dispose()); }
    }
}
