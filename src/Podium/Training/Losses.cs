using System.Globalization;
using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Training;

public static class Losses
{
    /// <param name="classCounts">Training samples per class, for class_weights: balanced.</param>
    public static nn.Module<Tensor, Tensor, Tensor> Create(LossConfig c, IReadOnlyList<int> classCounts, Device device) => c.Name switch
    {
        "cross_entropy" => new CrossEntropy(c.LabelSmoothing, ClassWeights(c, classCounts) is { } w ? tensor(w, dtype: ScalarType.Float32, device: device) : null),
        _ => throw new ConfigException($"train.loss.name: unknown loss '{c.Name}'"),
    };

    /// <summary>
    /// The loss's per-class weights, or null for none. balanced: n / (K · n_c), scikit-learn's
    /// compute_class_weight, raised to class_weight_power; a list: one weight per class.
    /// </summary>
    public static float[]? ClassWeights(LossConfig c, IReadOnlyList<int> classCounts)
    {
        switch (c.ClassWeights)
        {
            case "none": return null;
            case "balanced":
                double n = classCounts.Sum(), k = classCounts.Count;
                return classCounts.Select(count => count == 0 ? 0f : (float)Math.Pow(n / (k * count), c.ClassWeightPower)).ToArray();
            case IEnumerable<object> list:
                var weights = list.Select(v => float.TryParse(v?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && w >= 0 ? w
                    : throw new ConfigException($"train.loss.class_weights: '{v}' is not a non-negative number")).ToArray();
                if (weights.Length != classCounts.Count) throw new ConfigException($"train.loss.class_weights: {weights.Length} weights for {classCounts.Count} classes");
                return weights;
            default: throw new ConfigException($"train.loss.class_weights: '{c.ClassWeights}': none, balanced, or a list of weights");
        }
    }
}

/// <summary>Cross-entropy on logits with label smoothing ε (target (1-ε)·onehot + ε/K) and optional class weights, as PyTorch's.</summary>
public sealed class CrossEntropy(double labelSmoothing, Tensor? weight = null) : nn.Module<Tensor, Tensor, Tensor>(nameof(CrossEntropy))
{
    public override Tensor forward(Tensor logits, Tensor target) =>
        nn.functional.cross_entropy(logits, target, weight: weight, label_smoothing: labelSmoothing);
}
