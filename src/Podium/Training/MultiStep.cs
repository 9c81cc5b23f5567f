using Podium.Config;

namespace Podium.Training;

/// <summary>PyTorch's MultiStepLR: lr · γ^(milestones passed).</summary>
public sealed class MultiStep(double lr, IReadOnlyList<int> milestones, double gamma) : LrSchedule
{
    [Component("multistep")]
    public sealed record Options : EpochSchedulerOptions
    {
        /// <summary>The intervals at which the lr is multiplied by gamma.</summary>
        public IReadOnlyList<int> Milestones { get; init; } = [];
        /// <summary>The decay factor.</summary>
        [Positive, Within(0, 1)] public double Gamma { get; init; } = 0.1;

        protected override LrSchedule Build(double lr, long total, long warmup, double warmupFraction, bool perEpoch) =>
            new MultiStep(lr, Milestones, Gamma);
    }

    public override double LearningRate(long step) => lr * Math.Pow(gamma, milestones.Count(m => step >= m));
}
