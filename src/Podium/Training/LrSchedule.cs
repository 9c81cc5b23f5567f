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

    /// <summary>The configured schedule, stepped per optimizer step or per epoch (<c>interval</c>), behind a linear warm-up when
    /// asked.</summary>
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
            "onecycle" => new OneCycle(lr, total, warmupFraction, c.DivFactor, c.FinalDivFactor, c.CycleMomentum ? c.BaseMomentum : null,
                c.MaxMomentum),
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
