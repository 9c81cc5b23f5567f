namespace Podium.Tuning;

/// <summary>
/// Optuna's MedianPruner: at an epoch, a trial whose best value so far is worse than the median of the finished trials' values
/// at that epoch stops. Nothing is pruned before <see cref="StartupTrials"/> trials finished or before epoch
/// <see cref="WarmupEpochs"/> + 1.
/// </summary>
public sealed record MedianPruner(int StartupTrials = 5, int WarmupEpochs = 1)
{
    /// <summary>Whether the trial stops now; <paramref name="finished"/> are the other trials that completed (their values by
    /// epoch).</summary>
    public bool Prune(IReadOnlyDictionary<int, double> mine, int epoch, IEnumerable<IReadOnlyDictionary<int, double>> finished,
        bool maximize)
    {
        if (epoch <= WarmupEpochs || mine.Count == 0) return false;
        var others = finished.ToList();
        if (others.Count < StartupTrials) return false;
        var atEpoch = others.Where(o => o.TryGetValue(epoch, out var v) && !double.IsNaN(v)).Select(o => o[epoch]).Order().ToList();
        if (atEpoch.Count == 0) return false;
        var median = atEpoch.Count % 2 == 1 ? atEpoch[atEpoch.Count / 2]
            : (atEpoch[atEpoch.Count / 2 - 1] + atEpoch[atEpoch.Count / 2]) / 2;
        var values = mine.Where(p => p.Key <= epoch && !double.IsNaN(p.Value)).Select(p => p.Value).ToList();
        if (values.Count == 0) return true; // nothing but NaN: as Optuna, a trial without a value is hopeless
        var best = maximize ? values.Max() : values.Min();
        return maximize ? best < median : best > median;
    }
}
