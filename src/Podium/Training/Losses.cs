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
    public static nn.Module<Tensor, Tensor, Tensor> Create(LossConfig c, IReadOnlyList<int> classCounts, Device device, string where = "train.loss", double scale = 30, int multiLabelImages = 0)
    {
        Tensor? Weights() => ClassWeights(c, classCounts, multiLabelImages) is { } w ? tensor(w, dtype: ScalarType.Float32, device: device) : null;
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
            "sum" => new WeightedSum(c.Terms.Select((t, i) => (Create(t, classCounts, device, $"{where}.terms[{i}]", scale, multiLabelImages), t.Weight)).ToList()),
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
                return classCounts.Select(count => count == 0 ? 1f : (float)Math.Pow((multiLabelImages - count) / (double)count, c.ClassWeightPower)).ToArray();
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

    /// <summary>Class indices [N] become one-hot floats [N, K]; float targets pass as they are.</summary>
    public static Tensor Dense(Tensor logits, Tensor target) =>
        target.dtype == ScalarType.Int64 && logits.dim() == target.dim() + 1
            ? nn.functional.one_hot(target, logits.shape[^1]).to(logits.dtype)
            : target.to(logits.dtype);
}

/// <summary>Cross-entropy on logits with label smoothing ε (target (1-ε)·onehot + ε/K) and optional class weights, as PyTorch's.</summary>
public sealed class CrossEntropy(double labelSmoothing, Tensor? weight = null) : nn.Module<Tensor, Tensor, Tensor>(nameof(CrossEntropy))
{
    public override Tensor forward(Tensor logits, Tensor target) =>
        nn.functional.cross_entropy(logits, target, weight: weight, label_smoothing: labelSmoothing);
}

/// <summary>
/// Focal loss (Lin et al. 2017), multi-class: mean over samples of −α_y·(1 − p_y)^γ·log p_y, with α the
/// class weights (1 without). γ = 0 is cross-entropy; larger γ spends the gradient on hard examples.
/// With float targets of the logits' shape (multi-label) it is the sigmoid focal loss per label,
/// mean of BCE·(1 − p_t)^γ (torchvision's sigmoid_focal_loss without α), α weighting each label's column.
/// </summary>
public sealed class FocalLoss(double gamma, Tensor? alpha = null) : nn.Module<Tensor, Tensor, Tensor>(nameof(FocalLoss))
{
    public override Tensor forward(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        if (target.dtype != ScalarType.Int64)
        {
            var t = target.to(logits.dtype);
            var p = logits.sigmoid();
            var bce = nn.functional.binary_cross_entropy_with_logits(logits, t, reduction: nn.Reduction.None);
            var pt = (p * t).Plus(p.SubtractedFrom(1.0) * t.SubtractedFrom(1.0));
            var perLabel = bce * pt.SubtractedFrom(1.0).Power(gamma);
            if (alpha is not null) perLabel = perLabel * alpha;
            return perLabel.mean().MoveToOuterDisposeScope();
        }
        var logPt = nn.functional.log_softmax(logits, 1).gather(1, target.unsqueeze(1)).squeeze(1);
        var loss = -logPt.exp().SubtractedFrom(1.0).Power(gamma) * logPt;
        if (alpha is not null) loss = loss * alpha.index_select(0, target);
        return loss.mean().MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The macro F1 score made differentiable: counts become sums of softmax probabilities (sigmoid per label
/// for multi-label float targets),
/// tp_c = Σ p·y, fp_c = Σ p·(1 − y), fn_c = Σ (1 − p)·y, and the loss is 1 − mean_c 2tp/(2tp + fp + fn + ε):
/// the competition metric as the objective.
/// </summary>
public sealed class SoftF1Loss(double epsilon = 1e-7) : nn.Module<Tensor, Tensor, Tensor>(nameof(SoftF1Loss))
{
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

/// <summary>Binary cross-entropy on logits (multi-label, masks), mean over elements; class weights weigh the positives (PyTorch's pos_weight).</summary>
public sealed class BinaryCrossEntropy(Tensor? positiveWeight = null) : nn.Module<Tensor, Tensor, Tensor>(nameof(BinaryCrossEntropy))
{
    public override Tensor forward(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        return nn.functional.binary_cross_entropy_with_logits(logits, Losses.Dense(logits, target), pos_weights: positiveWeight).MoveToOuterDisposeScope();
    }
}

/// <summary>Soft Dice loss on sigmoid probabilities over the whole batch: 1 − (2Σp·t + s)/(Σp + Σt + s).</summary>
public sealed class DiceLoss(double smooth = 1) : nn.Module<Tensor, Tensor, Tensor>(nameof(DiceLoss))
{
    public override Tensor forward(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        var p = sigmoid(logits);
        var t = Losses.Dense(logits, target);
        var dice = (p * t).sum().Times(2.0).Plus(smooth) / p.sum().Plus(t.sum()).Plus(smooth);
        return dice.SubtractedFrom(1.0).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// ArcFace (Deng et al. 2019) and CosFace (Wang et al. 2018) on a cosine head's logits s·cos θ: the
/// target class's logit becomes s·cos(θ + m) (ArcFace; past θ = π − m, s·(cos θ − m·sin m) keeps it
/// monotonic, as insightface does) or s·(cos θ − m) (CosFace); then cross-entropy. The margin forces
/// classes apart on the sphere, so the embeddings cluster by class.
/// </summary>
public sealed class MarginLoss(bool additiveAngle, double scale, double margin, double labelSmoothing) : nn.Module<Tensor, Tensor, Tensor>(nameof(MarginLoss))
{
    public override Tensor forward(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        var cosine = logits.Over(scale).Clamp(-1 + 1e-7, 1 - 1e-7);
        var targetCos = cosine.gather(1, target.unsqueeze(1));
        Tensor marked;
        if (additiveAngle)
        {
            var sine = (targetCos * targetCos).SubtractedFrom(1.0).sqrt();
            var shifted = targetCos.Times(Math.Cos(margin)) - sine.Times(Math.Sin(margin));
            using var limit = Math.Cos(Math.PI - margin).ToScalar();
            marked = where(targetCos.gt(limit), shifted, targetCos.Minus(margin * Math.Sin(margin)));
        }
        else marked = targetCos.Minus(margin);
        var adjusted = cosine.scatter(1, target.unsqueeze(1), marked).Times(scale);
        return nn.functional.cross_entropy(adjusted, target, label_smoothing: labelSmoothing).MoveToOuterDisposeScope();
    }
}

/// <summary>Σ w_k·L_k: several objectives at once (BCE + Dice, cross-entropy + soft F1, ...).</summary>
public sealed class WeightedSum(IReadOnlyList<(nn.Module<Tensor, Tensor, Tensor> Loss, double Weight)> terms) : nn.Module<Tensor, Tensor, Tensor>(nameof(WeightedSum))
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
