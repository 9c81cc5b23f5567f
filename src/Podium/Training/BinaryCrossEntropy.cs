using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>Binary cross-entropy on logits (multi-label, masks), mean over elements; class weights weigh the positives (PyTorch's
/// pos_weight).</summary>
public sealed class BinaryCrossEntropy(Tensor? positiveWeight = null) : nn.Module<Tensor, Tensor, Tensor>(nameof(BinaryCrossEntropy))
{
    [Component("bce")]
    public sealed record Options : WeightedLossOptions
    {
        public override nn.Module<Tensor, Tensor, Tensor> Build(LossContext c) => new BinaryCrossEntropy(WeightTensor(c));
    }

    public override Tensor forward(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        return nn.functional.binary_cross_entropy_with_logits(logits, Losses.Dense(logits, target),
            pos_weights: positiveWeight).MoveToOuterDisposeScope();
    }
}
