using Podium.Config;
using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>Soft Dice loss on sigmoid probabilities over the whole batch: 1 − (2Σp·t + s)/(Σp + Σt + s).</summary>
public sealed class DiceLoss(double smooth = 1) : nn.Module<Tensor, Tensor, Tensor>(nameof(DiceLoss))
{
    [Component("dice")]
    public sealed record Options : LossOptions
    {
        /// <summary>The smoothing term of the Dice ratio.</summary>
        [NonNegative] public double Smooth { get; init; } = 1;

        public override nn.Module<Tensor, Tensor, Tensor> Build(LossContext c) => new DiceLoss(Smooth);
    }

    public override Tensor forward(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        var p = sigmoid(logits);
        var t = Losses.Dense(logits, target);
        var dice = (p * t).sum().Times(2.0).Plus(smooth) / p.sum().Plus(t.sum()).Plus(smooth);
        return dice.SubtractedFrom(1.0).MoveToOuterDisposeScope();
    }
}
