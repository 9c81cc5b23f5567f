using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>One optimizer step, as logged to metrics.csv.</summary>
public sealed record StepRecord(long Step, int Epoch, double Lr, double Loss, double DataWaitMs, double StepMs, double DecodeMs = 0, double AugmentMs = 0,
    IReadOnlyList<double>? Parts = null);

/// <summary>One epoch, as logged to epochs.csv.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double ValLoss, double ValAccuracy, double ValF1Macro,
    double Seconds, double DataWaitSeconds, double RssMb, IReadOnlyDictionary<string, double>? Extra = null);

/// <summary>What callbacks may look at (and, for checkpoints, save).</summary>
public sealed class TrainerState
{
    public required PodiumConfig Config { get; init; }
    public required nn.Module<Tensor, Tensor> Model { get; init; }
    public required IReadOnlyList<string> Classes { get; init; }
    public required int Epochs { get; init; }
    public required int StepsPerEpoch { get; init; }
    /// <summary>Names of the parts of the loss the task reports per step (DBNet: bce, dice, l1), logged beside the total.</summary>
    public IReadOnlyList<string> LossParts { get; set; } = [];
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
    public int Epoch { get; set; }
    public long Step { get; set; }
    /// <summary>Best monitored value so far and its epoch (0 = none yet).</summary>
    public double BestValue { get; set; } = double.NaN;
    public int BestEpoch { get; set; }
    public bool IsBestEpoch { get; set; }
    public EpochRecord? BestRecord { get; set; }
    public List<EpochRecord> History { get; } = [];
}

/// <summary>
/// Lightning-style hooks: the trainer owns the loop, everything optional (logging, checkpoints,
/// plots, progress) is a callback.
/// </summary>
public interface ITrainerCallback
{
    void OnFitStart(TrainerState state) { }
    /// <summary>Before the epoch's first step (state.Epoch is the new epoch).</summary>
    void OnEpochStart(TrainerState state) { }
    void OnStep(TrainerState state, StepRecord step) { }
    void OnEpochEnd(TrainerState state, EpochRecord epoch) { }
    void OnFitEnd(TrainerState state) { }
}
