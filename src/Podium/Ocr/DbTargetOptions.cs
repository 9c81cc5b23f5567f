namespace Podium.Ocr;

/// <summary>DBNet's target settings (the paper's and the official code's defaults).</summary>
/// <param name="ShrinkRatio">r in D = A(1 − r²)/L: how far text polygons shrink for the probability map and grow for the threshold
/// map.</param>
/// <param name="MinTextSize">Text whose box is narrower than this (pixels, after augmentation) is ignored rather than learnt.</param>
public sealed record DbTargetOptions(double ShrinkRatio = 0.4, double ThreshMin = 0.3, double ThreshMax = 0.7, double MinTextSize = 8);
