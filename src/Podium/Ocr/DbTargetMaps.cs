namespace Podium.Ocr;

/// <summary>
/// The four training maps of one image, row-major H×W: the probability map (shrunk text = 1), its mask (0 over
/// don't-care and too-small text, which the loss ignores), the threshold map (1 − distance to the text border
/// / D inside the dilated polygon, scaled to [ThreshMin, ThreshMax]) and its mask (the dilated polygons).
/// </summary>
public sealed record DbTargetMaps(int Height, int Width, float[] Probability, float[] ProbabilityMask, float[] Threshold,
    float[] ThresholdMask, int Ignored);
