namespace Podium.Ocr;

/// <summary>
/// DBNet's post-processing settings (the official code's defaults, box threshold 0.6).
/// <paramref name="UnclipRatio"/> &gt; 0 grows each kernel by D' = A·ratio/L (DBNet's rule); 0 grows it by the
/// exact inverse of the training shrink for a rectangle (the D that a shrink with <paramref name="ShrinkRatio"/>
/// of the grown box would have taken away), which keeps long text lines as tall as they were annotated.
/// </summary>
public sealed record DbPostProcessOptions(double Threshold = 0.3, double BoxThreshold = 0.6, double UnclipRatio = 1.5,
    double ShrinkRatio = 0.4, double MinSize = 3, int MaxCandidates = 1000, bool Polygons = false);
