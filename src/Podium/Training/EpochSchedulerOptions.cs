namespace Podium.Training;

/// <summary>Schedules written in epochs by default (step, multistep, exponential, plateau), as PyTorch's are.</summary>
public abstract record EpochSchedulerOptions : SchedulerOptions
{
    protected override string OwnInterval => "epoch";
}
