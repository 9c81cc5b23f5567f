namespace Podium.Training;

/// <summary>One optimizer step, as logged to metrics.csv: the loss (and the task's named parts of it), lr and where the time
/// went.</summary>
public sealed record StepRecord(long Step, int Epoch, double Lr, double Loss, double DataWaitMs, double StepMs, double DecodeMs = 0,
    double AugmentMs = 0,
    IReadOnlyList<double>? Parts = null);
