using System.Globalization;
using Podium.Config;
using Podium.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// The loss registry. Every loss takes logits and either class indices (classification; turned
/// into one-hot targets where the loss needs them) or float targets of the logits' shape (masks,
/// multi-label). <c>name: sum</c> adds weighted terms, any of them.
/// </summary>
public static class Losses
{
    public static readonly string[] Names = ["cross_entropy", "focal", "soft_f1", "bce", "dice", "bce_dice", "arcface", "cosface", "sum"];

    /// <param name="classCounts">Training samples per class, for class_weights: balanced.</param>
    /// <param name="scale">The cosine head's scale (arcface, cosface read cos θ back from its logits).</param>
    /// <param name="multiLabelImages">Multi-label data: the training images (classCounts then counts each label's positives).</param>
    public static nn.Module<Tensor, Tensor, Tensor> Create(LossConfig c, IReadOnlyList<int> classCounts, Device device,
        string where = "train.loss", double scale = 30, int multiLabelImages = 0)
    {
        Tensor? Weights() => ClassWeights(c, classCounts, multiLabelImages) is { } w ? tensor(w, dtype: ScalarType.Float32,
            device: device) : null;
        return c.Name switch
        {
            "cross_entropy" => new CrossEntropy(c.LabelSmoothing, Weights()),
            "focal" => new FocalLoss(c.Gamma, Weights()),
            "soft_f1" => new SoftF1Loss(),
            "bce" => new BinaryCrossEntropy(Weights()),
            "dice" => new DiceLoss(c.Smooth),
            "bce_dice" => new WeightedSum([(new BinaryCrossEntropy(Weights()), 1.0), (new DiceLoss(c.Smooth), 1.0)]),
            "arcface" => new MarginLoss(additiveAngle: true, scale, c.Margin, c.LabelSmoothing),
            "cosface" => new MarginLoss(additiveAngle: false, scale, c.Margin, c.LabelSmoothing),
            "sum" when c.Terms.Count == 0 => throw new ConfigException($"{where}.terms: a sum needs at least one term"),
            "sum" => new WeightedSum(c.Terms.Select((t, i) => (Create(t, classCounts, device, $"{where}.terms[{i}]", scale,
                multiLabelImages), t.Weight)).ToList()),
            _ => throw new ConfigException($"{where}.name: unknown loss '{c.Name}' ({string.Join(", ", Names)})"),
        };
    }

    /// <summary>
    /// The loss's per-class weights, or null for none. balanced: n / (K · n_c), scikit-learn's
    /// compute_class_weight, raised to class_weight_power; for multi-label data (<paramref name="multiLabelImages"/> &gt; 0)
    /// negatives over positives per label, (n − n_c) / n_c, the usual pos_weight; a list: one weight per class.
    /// </summary>
    public static float[]? ClassWeights(LossConfig c, IReadOnlyList<int> classCounts, int multiLabelImages = 0)
    {
        switch (c.ClassWeights)
        {
            case "none": return null;
            case "balanced" when multiLabelImages > 0:
                return classCounts.Select(count => count == 0 ? 1f : (float)Math.Pow((multiLabelImages - count) / (double)count,
                    c.ClassWeightPower)).ToArray();
            case "balanced":
                double n = classCounts.Sum(), k = classCounts.Count;
                return classCounts.Select(count => count == 0 ? 0f : (float)Math.Pow(n / (k * count), c.ClassWeightPower)).ToArray();
            case IEnumerable<object> list:
                var weights = list.Select(v => float.TryParse(v?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture,
                    out var w) && w >= 0 ? w
                    : throw new ConfigException($"train.loss.class_weights: '{v}' is not a non-negative number")).ToArray();
                if (weights.Length !=
                    classCounts.Count) throw new ConfigException($"train.loss.class_weights: {weights.Length} weights for " +
                    $"{classCounts.Count} classes");
                return weights;
            default: throw new ConfigException($"train.loss.class_weights: '{c.ClassWeights}': none, balanced, or a list of weights");
        }
    }

    /// <summary>Class indices [N] become one-hot floats [N, K]; float targets pass as they are.</summary>
    public static Tensor Dense(Tensor logits, Tensor target) =>
        target.dtype == ScalarType.Int64 && logits.dim() == target.dim() + 1
            ? nn.functional.one_hot(target, logits.shape[^1]).to(logits.dtype)
            : target.to(logits.dtype);
}
