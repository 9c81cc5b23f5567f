using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>Cross-entropy on logits with label smoothing ε (target (1-ε)·onehot + ε/K) and optional class weights, as PyTorch's.</summary>
public sealed class CrossEntropy(double labelSmoothing, Tensor? weight = null) : nn.Module<Tensor, Tensor, Tensor>(nameof(CrossEntropy))
{
    [Component("cross_entropy")]
    public sealed record Options : WeightedLossOptions
    {
        [Within(0, 1, upperOpen: true)] public double LabelSmoothing { get; init; }

        public override nn.Module<Tensor, Tensor, Tensor> Build(LossContext c) => new CrossEntropy(LabelSmoothing, WeightTensor(c));
    }

    public override Tensor forward(Tensor logits, Tensor target) =>
        nn.functional.cross_entropy(logits, target, weight: weight, label_smoothing: labelSmoothing);
}
