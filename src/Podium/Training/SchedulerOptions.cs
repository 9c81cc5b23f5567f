using Podium.Config;

namespace Podium.Training;

/// <summary>
/// A learning-rate schedule's options (<c>train.scheduler</c>): registered with <see cref="ComponentAttribute"/>, they hold its
/// parameters, defaults and rules and build it. Every schedule has an interval and a warm-up.
/// </summary>
public abstract record SchedulerOptions : ComponentOptions
{
    /// <summary>step (every optimizer step) or epoch; unset: the schedule's own (epoch for step, multistep, exponential, plateau:
    /// PyTorch's habit; step for curves that sweep a run). The schedule's counts are in this unit.</summary>
    public string? Interval { get; init; }

    /// <summary>Linear warm-up as a fraction of the run (one-cycle's pct_start); unset: the schedule's own (0.3 / 0).</summary>
    [Within(0, 1, upperOpen: true)] public double? Warmup { get; init; }

    /// <summary>The interval a schedule written in epochs uses when none is set.</summary>
    protected virtual string OwnInterval => "step";

    /// <summary>The warm-up when none is set.</summary>
    protected virtual double OwnWarmup => 0;

    /// <summary>One-cycle and cosine warm up within their own curve; the rest get a linear ramp in front.</summary>
    protected virtual bool WarmsUpItself => false;

    public override void Validate()
    {
        if (Interval is not (null or "step" or "epoch"))
            throw new ConfigException($"interval: unknown value '{Interval}' (one of: step, epoch)");
    }

    /// <summary>The curve over <paramref name="total"/> intervals, <paramref name="warmup"/> of them warming up.</summary>
    protected abstract LrSchedule Build(double lr, long total, long warmup, double warmupFraction, bool perEpoch);

    /// <summary>The schedule for a run of <paramref name="totalSteps"/> optimizer steps, stepped per step or per epoch, behind a linear
    /// warm-up when asked.</summary>
    public LrSchedule Create(double lr, long totalSteps, int stepsPerEpoch = 1)
    {
        bool perEpoch = (Interval ?? OwnInterval) == "epoch";
        long unit = perEpoch ? Math.Max(1, stepsPerEpoch) : 1;
        long total = Math.Max(1, (totalSteps + unit - 1) / unit); // in intervals
        double warmupFraction = Warmup ?? OwnWarmup;
        long warmup = (long)Math.Round(warmupFraction * total);
        long warmupSteps = (long)Math.Round(warmupFraction * totalSteps);
        var schedule = Build(lr, total, warmup, warmupFraction, perEpoch);
        // A per-step schedule behind a ramp starts from its own beginning; a per-epoch one keeps its epochs (milestones stay put).
        if (perEpoch) schedule = new PerEpoch(schedule, unit);
        if (warmupSteps > 0 && !WarmsUpItself) schedule = new Warmup(schedule, warmupSteps, shift: !perEpoch);
        return schedule;
    }
}
