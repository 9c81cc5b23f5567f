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
    [Component("plateau")]
    public sealed record Options : EpochSchedulerOptions
    {
        /// <summary>The logged metric it watches; unset: train.monitor (filled in when the config is resolved).</summary>
        public string? Metric { get; init; }

        /// <summary>min or max; unset: min for losses, max otherwise.</summary>
        public string? Mode { get; init; }

        [Positive, Within(0, 1, upperOpen: true)] public double Factor { get; init; } = 0.1;
        [NonNegative] public int Patience { get; init; } = 10;

        /// <summary>A relative improvement smaller than this does not count.</summary>
        [NonNegative] public double Threshold { get; init; } = 1e-4;

        [NonNegative] public int Cooldown { get; init; }

        /// <summary>The lowest lr.</summary>
        [NonNegative] public double MinLr { get; init; }

        public override void Validate()
        {
            base.Validate();
            if (Mode is not (null or "min" or "max")) throw new ConfigException($"mode: unknown value '{Mode}' (one of: min, max)");
        }

        protected override LrSchedule Build(double lr, long total, long warmup, double warmupFraction, bool perEpoch) =>
            new ReduceOnPlateau(lr, Mode ?? "min", Factor, Patience, Threshold, Cooldown, MinLr);
    }

    private double _lr = lr, _best = mode == "max" ? double.NegativeInfinity : double.PositiveInfinity;
    private int _bad, _cooldownLeft;

    public override double LearningRate(long step) => _lr;

    public override System.Text.Json.Nodes.JsonNode? SaveState() => new System.Text.Json.Nodes.JsonObject
    {
        ["lr"] = _lr,
        ["best"] = double.IsInfinity(_best) ? null : _best,
        ["bad"] = _bad,
        ["cooldown_left"] = _cooldownLeft,
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
