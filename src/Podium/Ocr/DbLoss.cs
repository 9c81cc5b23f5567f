using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Ocr;

/// <summary>
/// DBNet's loss (the official code's L1BalanceCELoss): balanced BCE with hard negative mining on the probability map
/// (every positive, and the hardest negatives up to 3 per positive), Dice on the approximate binary map, and L1 on
/// the threshold map inside the dilated text; don't-care and tiny text are masked out of the first two. Optionally Dice on the
/// probability map too (PaddleOCR's PP-OCR recipes): no pixel-wise calibration, so no hard negatives to single out.
/// </summary>
public sealed class DbLoss(DbLossWeights weights)
{
    private const double Eps = 1e-6;

    /// <summary>The total and its three parts (probability map's BCE or Dice, Dice, L1) as scalars, for logging.</summary>
    public (Tensor Total, double Bce, double Dice, double L1) Compute(Tensor prediction, DbBatchTargets t)
    {
        using var scope = NewDisposeScope();
        var p = prediction[.., 0];
        var threshold = prediction[.., 1];
        var binary = prediction[.., 2];
        var bce = weights.DiceProbability ? Dice(p, t.Probability, t.Mask) : BalancedBce(p, t.Probability, t.Mask, weights.NegativeRatio);
        var dice = Dice(binary, t.Probability, t.Mask);
        var l1 = MaskedL1(threshold, t.Threshold, t.ThresholdMask);
        var total = bce.Times(weights.Bce).Plus(dice.Times(weights.Dice)).Plus(l1.Times(weights.L1));
        return (total.MoveToOuterDisposeScope(), bce.item<float>(), dice.item<float>(), l1.item<float>());
    }

    /// <summary>(Σ BCE over positives + Σ of the k largest BCE over negatives) / (positives + k), k = min(negatives, ratio ·
    /// positives).</summary>
    public static Tensor BalancedBce(Tensor p, Tensor gt, Tensor mask, double ratio)
    {
        using var scope = NewDisposeScope();
        var positive = gt * mask;
        var negative = gt.SubtractedFrom(1) * mask;
        long positives = (long)positive.sum().item<float>();
        long negatives = Math.Min((long)negative.sum().item<float>(), (long)(positives * ratio));
        var loss = nn.functional.binary_cross_entropy(p.Clamp(Eps, 1 - Eps), gt, reduction: nn.Reduction.None);
        var positiveLoss = (loss * positive).sum();
        var negativeLoss = negatives > 0 ? (loss * negative).flatten().topk((int)negatives).values.sum() : zeros_like(positiveLoss);
        return positiveLoss.Plus(negativeLoss).Over(positives + negatives + Eps).MoveToOuterDisposeScope();
    }

    /// <summary>1 − 2·Σ(b·g·m) / (Σ(b·m) + Σ(g·m) + ε).</summary>
    public static Tensor Dice(Tensor b, Tensor gt, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var intersection = (b * gt * mask).sum();
        var union = (b * mask).sum().Plus((gt * mask).sum()).Plus(Eps);
        return (intersection.Times(2) / union).SubtractedFrom(1).MoveToOuterDisposeScope();
    }

    /// <summary>Σ |t − t*| · m / (Σ m + ε).</summary>
    public static Tensor MaskedL1(Tensor t, Tensor target, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return (((t - target).abs() * mask).sum() / mask.sum().Plus(Eps)).MoveToOuterDisposeScope();
    }
}
