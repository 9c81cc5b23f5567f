using Podium.Config;

namespace Podium.Training;

/// <summary>A learning rate (and optionally momentum/beta1) for every optimizer step, as a pure function of the step.</summary>
public abstract class LrSchedule
{
    public abstract double LearningRate(long step);
    /// <summary>Momentum (SGD) or beta1 (AdamW) for the step, or null to leave it alone.</summary>
    public virtual double? Momentum(long step) => null;

    public static LrSchedule Create(SchedulerConfig c, double lr, long totalSteps) => c.Name switch
    {
        "onecycle" => new OneCycle(lr, totalSteps, c.Warmup, c.DivFactor, c.FinalDivFactor,
            c.CycleMomentum ? c.BaseMomentum : null, c.MaxMomentum),
        "cosine" => new CosineWithWarmup(lr, totalSteps, (long)Math.Round(c.Warmup * totalSteps), c.MinLr),
        "constant" => new Constant(lr),
        _ => throw new ConfigException($"train.scheduler.name: unknown scheduler '{c.Name}'"),
    };
}

public sealed class Constant(double lr) : LrSchedule
{
    public override double LearningRate(long step) => lr;
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

/// <summary>Linear warm-up from 0 to lr over <c>warmupSteps</c>, then cosine decay to <c>minLr</c> at the last step.</summary>
public sealed class CosineWithWarmup(double lr, long totalSteps, long warmupSteps, double minLr = 0) : LrSchedule
{
    public override double LearningRate(long step)
    {
        if (step < warmupSteps) return lr * (step + 1) / warmupSteps;
        double span = Math.Max(1, totalSteps - warmupSteps - 1);
        double t = Math.Min(1, (step - warmupSteps) / span);
        return minLr + (lr - minLr) * 0.5 * (1 + Math.Cos(Math.PI * t));
    }
}
