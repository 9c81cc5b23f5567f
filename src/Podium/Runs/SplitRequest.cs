namespace Podium.Runs;

/// <summary>What `podium split` is asked for.</summary>
public sealed record SplitRequest
{
    public required string Data { get; init; }
    public required string Out { get; init; }
    public int Seed { get; init; }
    /// <summary>K folds (stratified; grouped with a group column).</summary>
    public int? KFold { get; init; }
    /// <summary>train/val/test fractions of a hold-out; default 0.7/0.15/0.15 (0.8/0.2 inside a toy subset).</summary>
    public double[]? Holdout { get; init; }
    /// <summary>Keep only this stratified fraction of the data (at least one image per class) before splitting.</summary>
    public double? Toy { get; init; }
    /// <summary>CSV column whose value groups rows that must stay together.</summary>
    public string? GroupColumn { get; init; }
    /// <summary>Test images: validation becomes the train images that look most like them (adversarial validation).</summary>
    public string? Like { get; init; }
    /// <summary>The manifest's label column holds space-separated labels (stratified by each image's rarest label).</summary>
    public bool MultiLabel { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
}
