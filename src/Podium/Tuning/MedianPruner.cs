namespace Podium.Tuning;

/// <summary>
/// Optuna's MedianPruner (its PercentilePruner at 50, one step apart): at a step (an epoch), a trial whose best value so far
/// is worse than the median of the finished trials' values at that step stops. Nothing is pruned before
/// <see cref="StartupTrials"/> trials finished, or at a step below <see cref="WarmupSteps"/> (2: never after the first epoch).
/// </summary>
public sealed record MedianPruner(int StartupTrials = 5, int WarmupSteps = 2) : IPruner
{
    public bool Prune(IReadOnlyList<Tracking.StudyTrial> trials, Tracking.StudyTrial trial, bool maximize,
        Action<string, System.Text.Json.Nodes.JsonNode> mark) => trial.Intermediate.Count > 0
        && Prune(trial.Intermediate, trial.Intermediate.Keys.Max(), trials.Where(t => t.State == "COMPLETE").Select(t => t.Intermediate),
            maximize);

    /// <summary>Whether the trial stops at <paramref name="step"/>; <paramref name="finished"/> are the completed trials' values
    /// by step.</summary>
    public bool Prune(IReadOnlyDictionary<int, double> mine, int step, IEnumerable<IReadOnlyDictionary<int, double>> finished,
        bool maximize)
    {
        var others = finished.ToList();
        if (others.Count == 0 || others.Count < StartupTrials || step < WarmupSteps) return false;
        var values = mine.Values.Where(v => !double.IsNaN(v)).ToList();
        if (values.Count == 0) return true; // a trial with nothing but NaN so far is hopeless
        var best = maximize ? values.Max() : values.Min();
        var atStep = others.Where(o => o.ContainsKey(step)).Select(o => o[step]).Where(v => !double.IsNaN(v)).Order().ToList();
        if (atStep.Count == 0) return false;
        // numpy's percentile 50 (linear interpolation): the middle value, or the mean of the two middle ones.
        var median = atStep.Count % 2 == 1 ? atStep[atStep.Count / 2] : (atStep[atStep.Count / 2 - 1] + atStep[atStep.Count / 2]) / 2;
        return maximize ? best < median : best > median;
    }
}
