namespace Podium.Tracking;

/// <summary>What a <see cref="StoreLogger"/> queues for its writer thread.</summary>
internal abstract record StoreEntry
{
    public sealed record Step(long Number, int OfEpoch, double Wall, IReadOnlyList<(string Key, double Value)> Values) : StoreEntry;
    public sealed record Epoch(int Number, bool Best, IReadOnlyDictionary<string, double> Values) : StoreEntry;
    public sealed record Results(string Name, IReadOnlyDictionary<string, double> Values) : StoreEntry;
    public sealed record Params(IReadOnlyDictionary<string, string> Values) : StoreEntry;
    public sealed record Artifact(string Name, string Path) : StoreEntry;
    /// <summary>finished, failed or killed (<see cref="Reason"/> says why), now or <see cref="At"/> (seconds since 1970).</summary>
    public sealed record End(string Status, string? Reason, double? At = null) : StoreEntry;
}
