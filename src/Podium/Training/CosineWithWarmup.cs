using Podium.Config;

namespace Podium.Training;

/// <summary>
/// Linear warm-up from 0 to lr over <c>warmupSteps</c>, then cosine decay to <c>minLr</c>: over the rest
/// of the run, or with restarts (SGDR, PyTorch's CosineAnnealingWarmRestarts) every <c>cycle</c>
/// intervals, each cycle <c>cycleMult</c> times longer than the last.
/// </summary>
public sealed class CosineWithWarmup(double lr, long totalSteps, long warmupSteps, double minLr = 0, long cycle = 0,
    double cycleMult = 1) : LrSchedule
{
    [Component("cosine")]
    public sealed record Options : SchedulerOptions
    {
        /// <summary>The lr it decays to.</summary>
        [NonNegative] public double MinLr { get; init; }

        /// <summary>With restarts (SGDR): the first cycle's length in intervals; unset: one decay over the run.</summary>
        [Positive] public long? Cycle { get; init; }

        /// <summary>How much longer each next cycle is (T_mult).</summary>
        public double CycleMult { get; init; } = 1;

        protected override bool WarmsUpItself => true;

        public override void Validate()
        {
            base.Validate();
            if (CycleMult < 1) throw new ConfigException($"cycle_mult must be at least 1, got {CycleMult}");
        }

        protected override LrSchedule Build(double lr, long total, long warmup, double warmupFraction, bool perEpoch) =>
            new CosineWithWarmup(lr, total, warmup, MinLr, Cycle ?? 0, CycleMult);
    }

    public override double LearningRate(long step)
    {
        if (step < warmupSteps) return lr * (step + 1) / warmupSteps;
        long t = step - warmupSteps;
        double position;
        if (cycle > 0)
        {
            double length = cycle;
            double start = 0;
            while (t >= start + length) { start += length; length *= cycleMult; }
            position = (t - start) / length;
        }
        else position = Math.Min(1, t / (double)Math.Max(1, totalSteps - warmupSteps - 1));
        return minLr + (lr - minLr) * 0.5 * (1 + Math.Cos(Math.PI * position));
    }
}
