namespace Podium.Ocr;

/// <summary>DBNet's loss weights: BCE on the probability map, Dice on the binary map, L1 on the threshold map (paper: 1, 1, 10; the
/// official code's BCE weight 5 is <c>bce: 5</c>). <paramref name="DiceProbability"/> puts a Dice loss on the probability map
/// instead of the balanced BCE, as PaddleOCR's PP-OCR detectors are trained (main_loss_type DiceLoss, weight alpha 5).</summary>
public sealed record DbLossWeights(double Bce = 1, double Dice = 1, double L1 = 10, double NegativeRatio = 3, bool DiceProbability = false);
