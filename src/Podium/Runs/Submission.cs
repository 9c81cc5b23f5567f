namespace Podium.Runs;

/// <summary>One submission: what it came from, its validation score and the leaderboard's.</summary>
public sealed record Submission(DateTime Time, string Run, string Metric, double Validation, double Public, double? Private, string Note);
