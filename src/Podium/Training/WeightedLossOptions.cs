using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>The options of losses that weigh classes (cross_entropy, focal, bce, bce_dice).</summary>
public abstract record WeightedLossOptions : LossOptions
{
    /// <summary>none, balanced (n / (K · n_c), scikit-learn's; for multi-label data negatives over positives per label), or a list,
    /// one per class.</summary>
    public ClassWeighting ClassWeights { get; init; } = ClassWeighting.None;

    /// <summary>balanced: the weights are raised to this power (0.5 softens them).</summary>
    [NonNegative] public double ClassWeightPower { get; init; } = 1;

    /// <summary>The class weights as a tensor on the context's device, or null for none.</summary>
    protected Tensor? WeightTensor(LossContext c) =>
        Losses.ClassWeights(this, c.ClassCounts, c.MultiLabelImages) is { } w
            ? tensor(w, dtype: ScalarType.Float32, device: c.Device) : null;
}
