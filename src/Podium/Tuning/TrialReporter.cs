using Podium.Tracking;
using Podium.Training;

namespace Podium.Tuning;

/// <summary>A trial's callback: each epoch's monitored figure goes to the study as an intermediate value, and the pruner may
/// stop the run there (the epoch stays recorded; the trial ends PRUNED).</summary>
public sealed class TrialReporter(StudyStore studies, int study, StudyTrial trial, string monitor, bool maximize,
    IPruner? pruner, Action<string> log) : ITrainerCallback
{
    public bool Pruned { get; private set; }

    /// <summary>The last value reported (a pruned trial's value, as Optuna keeps it).</summary>
    public double? Last { get; private set; }

    public void OnEpochEnd(TrainerState state, EpochRecord epoch)
    {
        var value = epoch.Value(monitor);
        Last = value;
        studies.Report(trial.Id, epoch.Epoch, value);
        if (pruner is null || epoch.Epoch >= state.Epochs) return;
        var trials = studies.Trials(study);
        var mine = trials.First(t => t.Id == trial.Id);
        if (!pruner.Prune(trials, mine, maximize, (key, node) => studies.SetAttribute(trial.Id, key, node))) return;
        Pruned = true;
        state.StopReason = $"pruned at epoch {epoch.Epoch} by the {(pruner is MedianPruner ? "median rule" : "successive halving")}: " +
            $"{monitor} {value:G4}";
        log($"trial {trial.Number}: {state.StopReason}");
    }
}
