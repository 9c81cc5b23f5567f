namespace Podium.Config;

public sealed record AugmentConfig
{
    /// <summary>Training pipeline: a list of {transform_name: {params}} or bare transform names.</summary>
    public IReadOnlyList<object> Train { get; init; } = [];
    /// <summary>Validation/prediction pipeline; default: resize to img_size without cropping.</summary>
    public IReadOnlyList<object> Val { get; init; } = [];
    /// <summary>Test-time views for prediction: each a transform (or a list of them) applied after the val pipeline; probabilities are
    /// averaged with the plain view's.</summary>
    public IReadOnlyList<object> Tta { get; init; } = [];
    /// <summary>Batch-level MixUp / CutMix with label mixing (off unless an alpha is set).</summary>
    public BatchAugmentConfig Batch { get; init; } = new();
}
