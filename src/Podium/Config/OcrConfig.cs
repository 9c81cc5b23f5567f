namespace Podium.Config;

/// <summary>DBNet's neck, targets, loss weights, post-processing and validation (defaults: the paper's, box threshold 0.6).</summary>
public sealed record OcrConfig
{
    /// <summary>fpn (DBNet's) | unet (concatenating skip connections).</summary>
    public string Neck { get; init; } = "fpn";
    /// <summary>The neck's width (the official 256).</summary>
    public int Inner { get; init; } = 256;
    /// <summary>Momentum of every BatchNorm's running statistics (TorchVision's MobileNetV3 has 0.01, too slow for short runs from
    /// scratch).</summary>
    public double BnMomentum { get; init; } = 0.1;
    /// <summary>r in D = A(1 − r²)/L for the probability and threshold targets.</summary>
    public double ShrinkRatio { get; init; } = 0.4;
    /// <summary>Text narrower than this (pixels, as the network sees it) is ignored in training.</summary>
    public double MinTextSize { get; init; } = 8;
    /// <summary>bce (DBNet's balanced BCE with hard negatives) | dice (PaddleOCR's PP-OCR training; bce_weight then weighs
    /// it, PaddleOCR's alpha 5).</summary>
    public string ProbabilityLoss { get; init; } = "bce";
    /// <summary>Weight of the probability map's loss.</summary>
    public double BceWeight { get; init; } = 1;
    public double DiceWeight { get; init; } = 1;
    public double L1Weight { get; init; } = 10;
    /// <summary>Hardest negatives per positive pixel in the balanced BCE.</summary>
    public double NegativeRatio { get; init; } = 3;
    /// <summary>Binarization threshold of the probability map.</summary>
    public double Threshold { get; init; } = 0.3;
    /// <summary>Regions whose mean probability is lower are dropped.</summary>
    public double BoxThreshold { get; init; } = 0.6;
    /// <summary>Growth of a kernel back to a text region: D' = A·ratio/L (DBNet: 1.5); 0: the exact inverse of the training
    /// shrink.</summary>
    public double UnclipRatio { get; init; } = 1.5;
    /// <summary>Polygons (simplified contours) instead of minimum-area rectangles.</summary>
    public bool Polygons { get; init; }
    /// <summary>Validation and detection size: the long side in pixels, both sides rounded to multiples of 32.</summary>
    public int EvalSize { get; init; } = 960;
    /// <summary>Validate (hmean) every this many epochs; the best checkpoint is chosen among validated epochs.</summary>
    public int EvalEvery { get; init; } = 1;
}
