namespace Podium.Tracking;

/// <summary>Everything the store holds about one run: its record, hyperparameters (flat config), per-epoch figures, named results
/// (best, evaluation), artifacts (name → path), how many steps it logged, its config and environment as written.</summary>
public sealed record RunDetails(RunRecord Run, IReadOnlyDictionary<string, string> Params,
    IReadOnlyList<(int Epoch, IReadOnlyDictionary<string, double> Values)> Epochs,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Results, IReadOnlyDictionary<string, string> Artifacts,
    long Steps, string? Config, string? Environment);
