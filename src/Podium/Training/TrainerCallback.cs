using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>One optimizer step, as logged to metrics.csv.</summary>
public sealed record StepRecord(long Step, int Epoch, double Lr, double Loss, double DataWaitMs, double StepMs, double DecodeMs = 0, double AugmentMs = 0);

/// <summary>One epoch, as logged to epochs.csv.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double ValLoss, double ValAccuracy, double ValF1Macro,
    double Seconds, double DataWaitSeconds, double RssMb);

/// <summary>What callbacks may look at (and, for checkpoints, save).</summary>
public sealed class TrainerState
{
    public required PodiumConfig Config { get; init; }
    public required nn.Module<Tensor, Tensor> Model { get; init; }
    public required IReadOnlyList<string> Classes { get; init; }
    public required int Epochs { get; init; }
    public required int StepsPerEpoch { get; init; }
    public long TotalSteps => (long)Epochs * StepsPerEpoch;
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
    void OnStep(TrainerState state, StepRecord step) { }
    void OnEpochEnd(TrainerState state, EpochRecord epoch) { }
    void OnFitEnd(TrainerState state) { }
}
