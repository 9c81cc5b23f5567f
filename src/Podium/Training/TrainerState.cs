using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>What callbacks may look at, and change where documented (the compute module, the stop reason).</summary>
public sealed class TrainerState
{
    public required PodiumConfig Config { get; init; }
    /// <summary>The fp32 master model: what the optimizer steps, EMA averages and checkpoints save.</summary>
    public required nn.Module<Tensor, Tensor> Model { get; init; }
    /// <summary>The module batches go through: the model itself, or a low-precision copy a precision callback sets at fit start.</summary>
    public nn.Module<Tensor, Tensor> Forward { get; set; } = null!;
    public required Optimizer Optimizer { get; init; }
    public required LrSchedule Schedule { get; init; }
    public required IReadOnlyList<string> Classes { get; init; }
    public required int Epochs { get; init; }
    public required int StepsPerEpoch { get; init; }
    /// <summary>The task's validation metrics (each logged as val_NAME).</summary>
    public IReadOnlyList<MetricSpec> Metrics { get; set; } = [];
    /// <summary>Names of the parts of the loss the task reports per step (DBNet: bce, dice, l1), logged beside the total.</summary>
    public IReadOnlyList<string> LossParts { get; set; } = [];
    /// <summary>Every callback of the fit, for the parts of them a resumed run restores.</summary>
    public IReadOnlyList<ITrainerCallback> Callbacks { get; set; } = [];
    /// <summary>Stops the run on a NaN or exploding loss (resumable); null lets every loss through (the lr range test explodes on
    /// purpose).</summary>
    public DivergenceGuard? Guard { get; init; } = new(0);
    public long TotalSteps => (long)Epochs * StepsPerEpoch;
    /// <summary>Batches per optimizer update (gradient accumulation).</summary>
    public int Accumulate { get; init; } = 1;
    /// <summary>Optimizer updates per epoch (the last window of an epoch may be short).</summary>
    public int UpdatesPerEpoch => (StepsPerEpoch + Accumulate - 1) / Accumulate;
    public long TotalUpdates => (long)Epochs * UpdatesPerEpoch;
    /// <summary>Optimizer updates so far: what schedules count.</summary>
    public long Updates { get; set; }
    /// <summary>Set by a callback (early stopping) to end training after the current epoch, with the reason.</summary>
    public string? StopReason { get; set; }
    /// <summary>Set by a callback (the lr range test) to end training after the current step.</summary>
    public bool StopNow { get; set; }
    public int Epoch { get; set; }
    public long Step { get; set; }
    /// <summary>Best monitored value so far and its epoch (0 = none yet).</summary>
    public double BestValue { get; set; } = double.NaN;
    public int BestEpoch { get; set; }
    public bool IsBestEpoch { get; set; }
    public EpochRecord? BestRecord { get; set; }
    public List<EpochRecord> History { get; } = [];

    /// <summary>The column that picks the best checkpoint (train.monitor): val_ + a metric, or train_loss.</summary>
    public string Monitor => Config.Train.MonitorName();

    /// <summary>Whether a larger value of an epochs.csv column is better: train_loss is minimised, a metric as its task says.</summary>
    public bool HigherIsBetter(string column) => column != "train_loss" &&
        (Metrics.FirstOrDefault(m => m.Column == column)
            ?? throw new InvalidOperationException($"{column}: not a metric of this task")).HigherIsBetter;
}
