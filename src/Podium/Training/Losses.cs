using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// The loss registry. Every loss takes logits and either class indices (classification; turned
/// into one-hot targets where the loss needs them) or float targets of the logits' shape (masks,
/// multi-label). <c>name: sum</c> adds weighted terms, any of them.
/// </summary>
public static class Losses
{
    /// <summary>Every loss: the options records deriving from <see cref="LossOptions"/> marked <see cref="ComponentAttribute"/>.</summary>
    public static readonly ComponentRegistry<LossOptions> Registry = new("loss", "cross_entropy");

    /// <summary>The configured loss (<paramref name="where"/> names the section in errors).</summary>
    public static nn.Module<Tensor, Tensor, Tensor> Create(ComponentConfig c, LossContext context, string where = "train.loss") =>
        Registry.Options(c, where).Build(context);

    /// <summary>
    /// The loss's per-class weights, or null for none. balanced: n / (K · n_c), scikit-learn's
    /// compute_class_weight, raised to class_weight_power; for multi-label data (<paramref name="multiLabelImages"/> &gt; 0)
    /// negatives over positives per label, (n − n_c) / n_c, the usual pos_weight; a list: one weight per class.
    /// </summary>
    public static float[]? ClassWeights(WeightedLossOptions c, IReadOnlyList<int> classCounts, int multiLabelImages = 0)
    {
        switch (c.ClassWeights.Kind)
        {
            case "none": return null;
            case "balanced" when multiLabelImages > 0:
                return classCounts.Select(count => count == 0 ? 1f : (float)Math.Pow((multiLabelImages - count) / (double)count,
                    c.ClassWeightPower)).ToArray();
            case "balanced":
                double n = classCounts.Sum(), k = classCounts.Count;
                return classCounts.Select(count => count == 0 ? 0f : (float)Math.Pow(n / (k * count), c.ClassWeightPower)).ToArray();
            default:
                var weights = c.ClassWeights.Weights;
                if (weights.Count != classCounts.Count)
                    throw new ConfigException($"train.loss.class_weights: {weights.Count} weights for {classCounts.Count} classes");
                return weights.Select(w => (float)w).ToArray();
        }
    }

    /// <summary>Class indices [N] become one-hot floats [N, K]; float targets pass as they are.</summary>
    public static Tensor Dense(Tensor logits, Tensor target) =>
        target.dtype == ScalarType.Int64 && logits.dim() == target.dim() + 1
            ? nn.functional.one_hot(target, logits.shape[^1]).to(logits.dtype)
            : target.to(logits.dtype);
}
