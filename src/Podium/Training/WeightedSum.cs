using Podium.Config;
using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>Σ w_k·L_k: several objectives at once (BCE + Dice, cross-entropy + soft F1, ...).</summary>
public sealed class WeightedSum(IReadOnlyList<(nn.Module<Tensor, Tensor, Tensor> Loss, double Weight)> terms) : nn.Module<Tensor, Tensor,
    Tensor>(nameof(WeightedSum))
{
    /// <summary>sum: the terms, each a loss section with its weight.</summary>
    [Component("sum")]
    public sealed record Options : LossOptions
    {
        public IReadOnlyList<ComponentConfig> Terms { get; init; } = [];

        public override void Validate()
        {
            if (Terms.Count == 0) throw new ConfigException("terms: a sum needs at least one term");
        }

        public override nn.Module<Tensor, Tensor, Tensor> Build(LossContext c) =>
            new WeightedSum(Terms.Select(t => (LossOptions)t.Options!).Select(t => (t.Build(c), t.Weight)).ToList());
    }

    /// <summary>bce_dice: BCE (with its class weights) plus Dice, weighted equally.</summary>
    [Component("bce_dice")]
    public sealed record BceDiceOptions : WeightedLossOptions
    {
        [NonNegative] public double Smooth { get; init; } = 1;

        public override nn.Module<Tensor, Tensor, Tensor> Build(LossContext c) =>
            new WeightedSum([(new BinaryCrossEntropy(WeightTensor(c)), 1.0), (new DiceLoss(Smooth), 1.0)]);
    }

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
