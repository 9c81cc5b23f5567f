namespace Podium.Tuning;

/// <summary>What a tuning worker does: the base config (and its --set overrides), the space, the study (its name, its
/// store: the config's run store unless <see cref="Storage"/> names another), the global trial budget, the sampler
/// (random) with its seed, the pruner (median or none), and the folder the trials' runs go to (trial-N inside it).</summary>
public sealed record TuneOptions(string Config, IReadOnlyList<string> Overrides, SearchSpace Space, string Study, int Trials,
    string? Storage = null, int Seed = 0, bool Prune = true, string? Out = null);
