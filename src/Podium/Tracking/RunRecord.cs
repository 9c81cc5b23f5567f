namespace Podium.Tracking;

/// <summary>One run as the store lists it: who, where, how it ended, and its best epoch's figures (<see cref="Best"/>).</summary>
public sealed record RunRecord(string Id, string Name, string Folder, string? Task, string Status, DateTime Started, DateTime? Ended,
    string Host, string? GitCommit, bool? GitDirty, int? Epochs, string? Monitor, int? BestEpoch, string? Reason,
    IReadOnlyList<string> Tags, IReadOnlyDictionary<string, double> Best)
{
    /// <summary>Wall time from start to end (or to now, for a running run).</summary>
    public TimeSpan Duration => (Ended ?? DateTime.UtcNow) - Started;
}
