namespace Podium.Runs;

/// <summary>What podium cv measured: per fold, out of fold (all folds' validation predictions together), and the fold ensemble on
/// test.</summary>
public sealed record CrossValidationResult(string Metric, IReadOnlyList<FoldResult> Folds, double Oof, double Mean, double Std,
    string OofPath, string? TestPath, double? EnsembleTest, string? Submission);
