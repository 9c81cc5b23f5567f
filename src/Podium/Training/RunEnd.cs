namespace Podium.Training;

/// <summary>How a run ended: finished (all epochs, or stopped early with <see cref="Reason"/>) and its best epoch.</summary>
public sealed record RunEnd(int Epochs, int BestEpoch, EpochRecord? Best, string? Reason);
