using System.Globalization;
using Podium.Config;
using Podium.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>Σ w_k·L_k: several objectives at once (BCE + Dice, cross-entropy + soft F1, ...).</summary>
public sealed class WeightedSum(IReadOnlyList<(nn.Module<Tensor, Tensor, Tensor> Loss, double Weight)> terms) : nn.Module<Tensor, Tensor,
    Tensor>(nameof(WeightedSum))
{
    public IReadOnlyList<(nn.Module<Tensor, Tensor, Tensor> Loss, double Weight)> Terms { get; } = terms;

    public override Tensor forward(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        Tensor? total = null;
        foreach (var (loss, weight) in Terms)
        {
            var term = loss.forward(logits, target).Times(weight);
            total = total is null ? term : total.Plus(term);
        }
        return total!.MoveToOuterDisposeScope();
    }
}
