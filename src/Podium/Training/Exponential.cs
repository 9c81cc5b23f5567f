using Podium.Config;

namespace Podium.Training;

/// <summary>PyTorch's ExponentialLR: lr · γ^t.</summary>
public sealed class Exponential(double lr, double gamma) : LrSchedule
{
    [Component("exponential")]
    public sealed record Options : EpochSchedulerOptions
    {
        /// <summary>The decay factor.</summary>
        [Positive, Within(0, 1)] public double Gamma { get; init; } = 0.1;

        protected override LrSchedule Build(double lr, long total, long warmup, double warmupFraction, bool perEpoch) =>
            new Exponential(lr, Gamma);
    }

    public override double LearningRate(long step) => lr * Math.Pow(gamma, step);
}
