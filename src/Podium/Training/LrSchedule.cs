using Podium.Config;

namespace Podium.Training;

/// <summary>
/// A learning rate (and optionally momentum/beta1) for every optimizer step. Most schedules are a
/// pure function of the step, so a resumed run needs no state; ReduceLROnPlateau also sees each
/// epoch's monitored metric (<see cref="IMetricDriven"/>).
/// </summary>
public abstract class LrSchedule : IResumable
{
    /// <summary>State a resumed run needs (only metric-driven schedules have any).</summary>
    public virtual System.Text.Json.Nodes.JsonNode? SaveState() => null;
    public virtual void LoadState(System.Text.Json.Nodes.JsonNode? state) { }

    public abstract double LearningRate(long step);
    /// <summary>Momentum (SGD) or beta1 (Adam family) for the step, or null to leave it alone.</summary>
    public virtual double? Momentum(long step) => null;

    /// <summary>The configured schedule, stepped per optimizer step or per epoch (<c>interval</c>), behind a linear warm-up when asked.</summary>
    public static LrSchedule Create(SchedulerConfig c, double lr, long totalSteps, int stepsPerEpoch = 1)
    {
        bool perEpoch = (c.Interval ?? DefaultInterval(c.Name)) == "epoch";
        long unit = perEpoch ? Math.Max(1, stepsPerEpoch) : 1;
        long total = Math.Max(1, (totalSteps + unit - 1) / unit); // in intervals
        double warmupFraction = c.Warmup ?? (c.Name == "onecycle" ? 0.3 : 0);
        long warmup = (long)Math.Round(warmupFraction * total);
        long warmupSteps = (long)Math.Round(warmupFraction * totalSteps);
        LrSchedule schedule = c.Name switch
        {
            "onecycle" => new OneCycle(lr, total, warmupFraction, c.DivFactor, c.FinalDivFactor, c.CycleMomentum ? c.BaseMomentum : null, c.MaxMomentum),
            "cosine" => new CosineWithWarmup(lr, total, warmup, c.MinLr, c.Cycle ?? 0, c.CycleMult),
            "constant" => new Constant(lr),
            "step" => new StepDecay(lr, c.StepSize, c.Gamma),
            "multistep" => new MultiStep(lr, c.Milestones, c.Gamma),
            "exponential" => new Exponential(lr, c.Gamma),
            "polynomial" => new Polynomial(lr, perEpoch ? total : total - warmup, c.Power, c.MinLr),
            "plateau" => new ReduceOnPlateau(lr, c.Mode ?? "min", c.Factor, c.Patience, c.Threshold, c.Cooldown, c.MinLr),
            _ => throw new ConfigException($"train.scheduler.name: unknown scheduler '{c.Name}'"),
        };
        // One-cycle and cosine warm up on their own. The rest get a per-step linear ramp: a per-step
        // schedule then starts from its own beginning; a per-epoch one keeps its epochs (milestones stay put).
        if (perEpoch) schedule = new PerEpoch(schedule, unit);
        if (warmupSteps > 0 && c.Name is not ("onecycle" or "cosine")) schedule = new Warmup(schedule, warmupSteps, shift: !perEpoch);
        return schedule;
    }

    /// <summary>Decay-by-epoch schedules are written in epochs (PyTorch's habit); curves that sweep a run, per step.</summary>
    public static string DefaultInterval(string name) => name is "step" or "multistep" or "exponential" or "plateau" ? "epoch" : "step";
}

/// <summary>A schedule that also learns from each epoch's monitored metric.</summary>
public interface IMetricDriven
{
    /// <summary>Called after validating epoch <paramref name="epoch"/> (1-based) with the metric's value.</summary>
    void Observe(int epoch, double value);
}

public sealed class Constant(double lr) : LrSchedule
{
    public override double LearningRate(long step) => lr;
}

/// <summary>Evaluates a schedule once per epoch: step s uses the schedule's value at epoch s / stepsPerEpoch.</summary>
public sealed class PerEpoch(LrSchedule inner, long stepsPerEpoch) : LrSchedule, IMetricDriven
{
    public LrSchedule Inner { get; } = inner;
    public override double LearningRate(long step) => Inner.LearningRate(step / stepsPerEpoch);
    public override double? Momentum(long step) => Inner.Momentum(step / stepsPerEpoch);
    public void Observe(int epoch, double value) => (Inner as IMetricDriven)?.Observe(epoch, value);
    public override System.Text.Json.Nodes.JsonNode? SaveState() => Inner.SaveState();
    public override void LoadState(System.Text.Json.Nodes.JsonNode? state) => Inner.LoadState(state);
}

/// <summary>
/// Linear warm-up over the first <paramref name="steps"/> steps to where the inner schedule takes over:
/// with <paramref name="shift"/> the inner schedule then runs from its own 0, else from the step reached.
/// </summary>
public sealed class Warmup(LrSchedule inner, long steps, bool shift) : LrSchedule, IMetricDriven
{
    private long Inner(long step) => shift ? Math.Max(0, step - steps) : Math.Max(step, steps);
    public override double LearningRate(long step) => step < steps ? inner.LearningRate(Inner(step)) * (step + 1) / steps : inner.LearningRate(Inner(step));
    public override double? Momentum(long step) => inner.Momentum(Inner(step));
    public void Observe(int epoch, double value) => (inner as IMetricDriven)?.Observe(epoch, value);
    public override System.Text.Json.Nodes.JsonNode? SaveState() => inner.SaveState();
    public override void LoadState(System.Text.Json.Nodes.JsonNode? state) => inner.LoadState(state);
}

/// <summary>PyTorch's StepLR: lr · γ^⌊t / step_size⌋.</summary>
public sealed class StepDecay(double lr, int stepSize, double gamma) : LrSchedule
{
    public override double LearningRate(long step) => lr * Math.Pow(gamma, step / Math.Max(1, stepSize));
}

/// <summary>PyTorch's MultiStepLR: lr · γ^(milestones passed).</summary>
public sealed class MultiStep(double lr, IReadOnlyList<int> milestones, double gamma) : LrSchedule
{
    public override double LearningRate(long step) => lr * Math.Pow(gamma, milestones.Count(m => step >= m));
}

/// <summary>PyTorch's ExponentialLR: lr · γ^t.</summary>
public sealed class Exponential(double lr, double gamma) : LrSchedule
{
    public override double LearningRate(long step) => lr * Math.Pow(gamma, step);
}

/// <summary>PyTorch's PolynomialLR (with a floor): min_lr + (lr − min_lr)·(1 − min(t, T)/T)^power.</summary>
public sealed class Polynomial(double lr, long totalSteps, double power, double minLr = 0) : LrSchedule
{
    public override double LearningRate(long step) =>
        minLr + (lr - minLr) * Math.Pow(1 - (double)Math.Min(step, totalSteps) / Math.Max(1, totalSteps), power);
}

/// <summary>
/// PyTorch's OneCycleLR (two phases, cosine annealing): from max_lr/div_factor up to max_lr over
/// pct_start of the steps, then down to initial/final_div_factor; momentum moves the other way.
/// Phase ends at pct_start*total - 1 and total - 1, as PyTorch computes them.
/// </summary>
public sealed class OneCycle(double maxLr, long totalSteps, double pctStart, double divFactor = 25, double finalDivFactor = 1e4,
    double? baseMomentum = 0.85, double maxMomentum = 0.95) : LrSchedule
{
    private readonly double _initial = maxLr / divFactor;
    private readonly double _warmEnd = pctStart * totalSteps - 1;
    private readonly double _end = totalSteps - 1;

    public override double LearningRate(long step) => Interpolate(step, _initial, maxLr, _initial / finalDivFactor);

    public override double? Momentum(long step) => baseMomentum is { } b ? Interpolate(step, maxMomentum, b, maxMomentum) : null;

    private double Interpolate(long step, double start, double peak, double end)
    {
        if (step <= _warmEnd) return Cos(start, peak, _warmEnd <= 0 ? 1 : step / _warmEnd);
        return Cos(peak, end, Math.Min(1, (step - _warmEnd) / (_end - _warmEnd)));
    }

    private static double Cos(double from, double to, double pct) => to + (from - to) / 2.0 * (Math.Cos(Math.PI * pct) + 1);
}

/// <summary>
/// Linear warm-up from 0 to lr over <c>warmupSteps</c>, then cosine decay to <c>minLr</c>: over the rest
/// of the run, or with restarts (SGDR, PyTorch's CosineAnnealingWarmRestarts) every <c>cycle</c>
/// intervals, each cycle <c>cycleMult</c> times longer than the last.
/// </summary>
public sealed class CosineWithWarmup(double lr, long totalSteps, long warmupSteps, double minLr = 0, long cycle = 0, double cycleMult = 1) : LrSchedule
{
    public override double LearningRate(long step)
    {
        if (step < warmupSteps) return lr * (step + 1) / warmupSteps;
        long t = step - warmupSteps;
        double position;
        if (cycle > 0)
        {
            double length = cycle;
            double start = 0;
            while (t >= start + length) { start += length; length *= cycleMult; }
            position = (t - start) / length;
        }
        else position = Math.Min(1, t / (double)Math.Max(1, totalSteps - warmupSteps - 1));
        return minLr + (lr - minLr) * 0.5 * (1 + Math.Cos(Math.PI * position));
    }
}

/// <summary>
/// PyTorch's ReduceLROnPlateau: when the metric has not improved (relative threshold) for more than
/// <c>patience</c> epochs, the lr is multiplied by <c>factor</c> (not below min_lr), then
/// <c>cooldown</c> epochs pass before counting again. The lr of epoch e is decided after epoch e − 1.
/// </summary>
public sealed class ReduceOnPlateau(double lr, string mode, double factor, int patience, double threshold, int cooldown, double minLr) : LrSchedule, IMetricDriven
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
