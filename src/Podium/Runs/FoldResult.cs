namespace Podium.Runs;

/// <summary>One fold's outcome: its out-of-fold score and, with test data, its own test score.</summary>
public sealed record FoldResult(int Fold, string Run, int Images, double Metric, double? TestMetric);
