using Podium.Config;
using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// The macro F1 score made differentiable: counts become sums of softmax probabilities (sigmoid per label
/// for multi-label float targets),
/// tp_c = Σ p·y, fp_c = Σ p·(1 − y), fn_c = Σ (1 − p)·y, and the loss is 1 − mean_c 2tp/(2tp + fp + fn + ε):
/// the competition metric as the objective.
/// </summary>
public sealed class SoftF1Loss(double epsilon = 1e-7) : nn.Module<Tensor, Tensor, Tensor>(nameof(SoftF1Loss))
{
    [Component("soft_f1")]
    public sealed record Options : LossOptions
    {
        public override nn.Module<Tensor, Tensor, Tensor> Build(LossContext c) => new SoftF1Loss();
    }

    public override Tensor forward(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        var p = target.dtype == ScalarType.Int64 ? nn.functional.softmax(logits, 1) : logits.sigmoid();
        var y = Losses.Dense(logits, target);
        // 0L, not 0: a literal 0 converts to any enum and would pick sum(ScalarType: Byte).
        var tp = (p * y).sum(0L);
        var fp = (p * y.SubtractedFrom(1.0)).sum(0L);
        var fn = (p.SubtractedFrom(1.0) * y).sum(0L);
        var f1 = tp.Times(2.0) / tp.Times(2.0).Plus(fp).Plus(fn).Plus(epsilon);
        return f1.mean().SubtractedFrom(1.0).MoveToOuterDisposeScope();
    }
}
