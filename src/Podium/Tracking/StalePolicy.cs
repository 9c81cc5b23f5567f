namespace Podium.Tracking;

/// <summary>When a running trial counts as dead (no heartbeat for <see cref="Grace"/>) and how often a dead trial's parameters
/// are queued again (<see cref="Retries"/> times at most, counting along its chain of retries).</summary>
public sealed record StalePolicy(TimeSpan Grace, int Retries);
