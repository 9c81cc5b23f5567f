using Podium.Config;
using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// Focal loss (Lin et al. 2017), multi-class: mean over samples of −α_y·(1 − p_y)^γ·log p_y, with α the
/// class weights (1 without). γ = 0 is cross-entropy; larger γ spends the gradient on hard examples.
/// With float targets of the logits' shape (multi-label) it is the sigmoid focal loss per label,
/// mean of BCE·(1 − p_t)^γ (torchvision's sigmoid_focal_loss without α), α weighting each label's column.
/// </summary>
public sealed class FocalLoss(double gamma, Tensor? alpha = null) : nn.Module<Tensor, Tensor, Tensor>(nameof(FocalLoss))
{
    [Component("focal")]
    public sealed record Options : WeightedLossOptions
    {
        /// <summary>The focusing exponent γ.</summary>
        [NonNegative] public double Gamma { get; init; } = 2;

        public override nn.Module<Tensor, Tensor, Tensor> Build(LossContext c) => new FocalLoss(Gamma, WeightTensor(c));
    }

    public override Tensor forward(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        if (target.dtype != ScalarType.Int64)
        {
            var t = target.to(logits.dtype);
            var p = logits.sigmoid();
            var bce = nn.functional.binary_cross_entropy_with_logits(logits, t, reduction: nn.Reduction.None);
            var pt = (p * t).Plus(p.SubtractedFrom(1.0) * t.SubtractedFrom(1.0));
            var perLabel = bce * pt.SubtractedFrom(1.0).Power(gamma);
            if (alpha is not null) perLabel = perLabel * alpha;
            return perLabel.mean().MoveToOuterDisposeScope();
        }
        var logPt = nn.functional.log_softmax(logits, 1).gather(1, target.unsqueeze(1)).squeeze(1);
        var loss = -logPt.exp().SubtractedFrom(1.0).Power(gamma) * logPt;
        if (alpha is not null) loss = loss * alpha.index_select(0, target);
        return loss.mean().MoveToOuterDisposeScope();
    }
}
