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

    /// <summary>Every schedule: the options records deriving from <see cref="SchedulerOptions"/>.</summary>
    public static readonly ComponentRegistry<SchedulerOptions> Registry = new("scheduler", "onecycle");

    /// <summary>The configured schedule (train.scheduler) for a run of <paramref name="totalSteps"/> optimizer steps.</summary>
    public static LrSchedule Create(ComponentConfig c, double lr, long totalSteps, int stepsPerEpoch = 1) =>
        Registry.Options(c, "train.scheduler").Create(lr, totalSteps, stepsPerEpoch);
}
