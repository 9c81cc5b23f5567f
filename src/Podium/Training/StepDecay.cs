using Podium.Config;

namespace Podium.Training;

/// <summary>PyTorch's StepLR: lr · γ^⌊t / step_size⌋.</summary>
public sealed class StepDecay(double lr, int stepSize, double gamma) : LrSchedule
{
    [Component("step")]
    public sealed record Options : EpochSchedulerOptions
    {
        /// <summary>Decay every step_size intervals.</summary>
        [Positive] public int StepSize { get; init; } = 10;
        /// <summary>The decay factor.</summary>
        [Positive, Within(0, 1)] public double Gamma { get; init; } = 0.1;

        protected override LrSchedule Build(double lr, long total, long warmup, double warmupFraction, bool perEpoch) =>
            new StepDecay(lr, StepSize, Gamma);
    }

    public override double LearningRate(long step) => lr * Math.Pow(gamma, step / Math.Max(1, stepSize));
}
