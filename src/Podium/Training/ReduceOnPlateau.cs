using Podium.Config;

namespace Podium.Training;

/// <summary>
/// PyTorch's ReduceLROnPlateau: when the metric has not improved (relative threshold) for more than
/// <c>patience</c> epochs, the lr is multiplied by <c>factor</c> (not below min_lr), then
/// <c>cooldown</c> epochs pass before counting again. The lr of epoch e is decided after epoch e − 1.
/// </summary>
public sealed class ReduceOnPlateau(double lr, string mode, double factor, int patience, double threshold, int cooldown,
    double minLr) : LrSchedule, IMetricDriven
{
    private double _lr = lr, _best = mode == "max" ? double.NegativeInfinity : double.PositiveInfinity;
    private int _bad, _cooldownLeft;

    public override double LearningRate(long step) => _lr;

    public override System.Text.Json.Nodes.JsonNode? SaveState() => new System.Text.Json.Nodes.JsonObject
    {
        ["lr"] = _lr, ["best"] = double.IsInfinity(_best) ? null : _best, ["bad"] = _bad, ["cooldown_left"] = _cooldownLeft,
    };

    public override void LoadState(System.Text.Json.Nodes.JsonNode? state)
    {
        if (state is null) return;
        _lr = state["lr"]!.GetValue<double>();
        _best = state["best"]?.GetValue<double>() ?? (mode == "max" ? double.NegativeInfinity : double.PositiveInfinity);
        _bad = state["bad"]!.GetValue<int>();
        _cooldownLeft = state["cooldown_left"]!.GetValue<int>();
    }

    public void Observe(int epoch, double value)
    {
        bool better = mode == "max" ? value > _best * (1 + threshold) : value < _best * (1 - threshold);
        if (better) { _best = value; _bad = 0; }
        else _bad++;
        if (_cooldownLeft > 0) { _cooldownLeft--; _bad = 0; }
        if (_bad > patience)
        {
            _lr = Math.Max(_lr * factor, minLr);
            _cooldownLeft = cooldown;
            _bad = 0;
        }
    }
}
