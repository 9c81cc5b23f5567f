namespace Podium.Config;

public sealed record SchedulerConfig
{
    /// <summary>onecycle | cosine | constant | step | multistep | exponential | polynomial | plateau</summary>
    public string Name { get; init; } = "onecycle";
    /// <summary>step (every optimizer step) or epoch; default epoch for step, multistep, exponential and plateau, else step.
    /// The schedule's counts (step_size, milestones, cycle) are in this unit.</summary>
    public string? Interval { get; init; }
    /// <summary>Linear warm-up as a fraction of the run (one-cycle's pct_start; default 0.3 for onecycle, 0 otherwise).</summary>
    public double? Warmup { get; init; }
    /// <summary>One-cycle: initial lr = lr / div_factor.</summary>
    public double DivFactor { get; init; } = 25;
    /// <summary>One-cycle: final lr = initial lr / final_div_factor.</summary>
    public double FinalDivFactor { get; init; } = 1e4;
    /// <summary>One-cycle: cycle momentum (SGD) or beta1 (Adam family) inversely to the lr, as PyTorch does.</summary>
    public bool CycleMomentum { get; init; } = true;
    public double BaseMomentum { get; init; } = 0.85;
    public double MaxMomentum { get; init; } = 0.95;
    /// <summary>Cosine and polynomial: the lr they decay to; plateau: the lowest lr.</summary>
    public double MinLr { get; init; }
    /// <summary>Cosine with restarts (SGDR): the first cycle's length in intervals (none: one decay over the run)...</summary>
    public long? Cycle { get; init; }
    /// <summary>...and how much longer each next cycle is (T_mult).</summary>
    public double CycleMult { get; init; } = 1;
    /// <summary>step: decay every step_size intervals.</summary>
    public int StepSize { get; init; } = 10;
    /// <summary>step, multistep, exponential: the decay factor.</summary>
    public double Gamma { get; init; } = 0.1;
    /// <summary>multistep: the intervals at which the lr is multiplied by gamma.</summary>
    public int[] Milestones { get; init; } = [];
    /// <summary>polynomial: the exponent (1 = linear).</summary>
    public double Power { get; init; } = 1;
    /// <summary>plateau: the logged metric it watches (default train.monitor): val_loss, val_accuracy, val_f1_macro or
    /// train_loss.</summary>
    public string? Metric { get; init; }
    /// <summary>plateau: min or max (default: min for losses, max otherwise).</summary>
    public string? Mode { get; init; }
    public double Factor { get; init; } = 0.1;
    public int Patience { get; init; } = 10;
    /// <summary>plateau: a relative improvement smaller than this does not count.</summary>
    public double Threshold { get; init; } = 1e-4;
    public int Cooldown { get; init; }
}
