namespace Podium.Runs;

/// <summary>How well validation predicts the leaderboard, over the recorded submissions.</summary>
public sealed record LeaderboardSummary(IReadOnlyList<Submission> Submissions, double Pearson, double Spearman, double? TrendAgreement,
    string Plot, string Page);
