using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Training;

public static class Losses
{
    public static nn.Module<Tensor, Tensor, Tensor> Create(LossConfig c) => c.Name switch
    {
        "cross_entropy" => new CrossEntropy(c.LabelSmoothing),
        _ => throw new ConfigException($"train.loss.name: unknown loss '{c.Name}'"),
    };
}

/// <summary>Cross-entropy on logits with label smoothing ε: the target is (1-ε)·onehot + ε/K.</summary>
public sealed class CrossEntropy(double labelSmoothing) : nn.Module<Tensor, Tensor, Tensor>(nameof(CrossEntropy))
{
    public override Tensor forward(Tensor logits, Tensor target) =>
        nn.functional.cross_entropy(logits, target, label_smoothing: labelSmoothing);
}
