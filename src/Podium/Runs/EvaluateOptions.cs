namespace Podium.Runs;

/// <summary>How to evaluate: test-time augmentation (a spec and its merge) and whether to tune per-class thresholds, for which
/// metric.</summary>
public sealed record EvaluateOptions(string? Tta = null, string TtaMerge = "mean", bool TuneThresholds = false, string? Metric = null);
