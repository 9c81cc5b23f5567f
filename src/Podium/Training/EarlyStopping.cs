namespace Podium.Training;

/// <summary>
/// Ends training when train.monitor has not improved by more than <paramref name="minDelta"/> for
/// <paramref name="patience"/> epochs in a row (the best checkpoint is kept, as always).
/// </summary>
public sealed class EarlyStopping(int patience, double minDelta) : ITrainerCallback, IResumable
{
    public System.Text.Json.Nodes.JsonNode? SaveState() => new System.Text.Json.Nodes.JsonObject
    {
        ["best"] = double.IsNaN(_best)
        ? null : _best,
        ["stale"] = _stale
    };

    public void LoadState(System.Text.Json.Nodes.JsonNode? state)
    {
        if (state is null) return;
        _best = state["best"]?.GetValue<double>() ?? double.NaN;
        _stale = state["stale"]!.GetValue<int>();
    }

    private double _best = double.NaN;
    private int _stale;

    public void OnEpochEnd(TrainerState state, EpochRecord epoch)
    {
        var monitor = state.Monitor;
        double value = epoch.Value(monitor);
        bool lower = !state.HigherIsBetter(monitor);
        bool improved = double.IsNaN(_best) || (lower ? value < _best - minDelta : value > _best + minDelta);
        if (improved) { _best = value; _stale = 0; return; }
        if (++_stale >= patience && epoch.Epoch < state.Epochs)
            state.StopReason = $"early stopping after epoch {epoch.Epoch}: {monitor} has not improved on {_best:G4} for {_stale} epochs " +
                $"(patience {patience})";
    }
}
