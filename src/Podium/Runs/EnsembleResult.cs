namespace Podium.Runs;

/// <summary>What podium ensemble measured and wrote.</summary>
public sealed record EnsembleResult(string Method, string Metric, IReadOnlyList<(string Member, double Score)> Members, double Score,
    bool Optimistic, double[]? Weights, string? Probabilities, string? Submission);
