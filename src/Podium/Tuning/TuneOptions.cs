namespace Podium.Tuning;

/// <summary>What a tuning worker does: the base config (and its --set overrides), the space, the study (its name, its
/// store: the config's run store unless <see cref="Storage"/> names another), the global trial budget, the sampler (tpe,
/// random, qmc or grid) with its seed, the pruner (median, asha or none), the folder the trials' runs go to (trial-N inside it),
/// the heartbeat (every <see cref="Heartbeat"/>; a running trial silent for <see cref="Grace"/> is failed and queued again,
/// <see cref="Retries"/> times at most) and the threads each trial's training takes (0: a share of the machine's cores beside
/// the other trainings there, other workers' included).</summary>
public sealed record TuneOptions(string Config, IReadOnlyList<string> Overrides, SearchSpace Space, string Study, int Trials,
    string? Storage = null, int Seed = 0, string Sampler = "tpe", string Pruner = "median", string? Out = null)
{
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(60);

    public int Retries { get; init; } = 2;

    public int Threads { get; init; }
}
