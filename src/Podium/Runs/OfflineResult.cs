namespace Podium.Runs;

/// <summary>What an offline augmentation run wrote.</summary>
public sealed record OfflineResult(string Manifest, int Sources, int Copies, int Rows);
