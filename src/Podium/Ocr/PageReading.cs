namespace Podium.Ocr;

/// <summary>A page as read: its regions in the detector's order with their text, the milliseconds of detection (network and
/// post-processing), cropping and recognition (network and decoding), and the text in reading order.</summary>
public sealed record PageReading(IReadOnlyList<ReadRegion> Regions, double DetectNetworkMs, double DetectPostProcessMs, double CropMs,
    double RecognizeNetworkMs, double DecodeMs)
{
    public string Text => ReadingOrder.Text([.. Regions.Select(r => r.Points)], [.. Regions.Select(r => r.Text)]);

    public double TotalMs => DetectNetworkMs + DetectPostProcessMs + CropMs + RecognizeNetworkMs + DecodeMs;
}
