using Podium.Config;

namespace Podium.Training;

/// <summary>PyTorch's PolynomialLR (with a floor): min_lr + (lr − min_lr)·(1 − min(t, T)/T)^power.</summary>
public sealed class Polynomial(double lr, long totalSteps, double power, double minLr = 0) : LrSchedule
{
    [Component("polynomial")]
    public sealed record Options : SchedulerOptions
    {
        /// <summary>The exponent (1 = linear).</summary>
        public double Power { get; init; } = 1;

        /// <summary>The lr it decays to.</summary>
        [NonNegative] public double MinLr { get; init; }

        protected override LrSchedule Build(double lr, long total, long warmup, double warmupFraction, bool perEpoch) =>
            new Polynomial(lr, perEpoch ? total : total - warmup, Power, MinLr);
    }

    public override double LearningRate(long step) =>
        minLr + (lr - minLr) * Math.Pow(1 - (double)Math.Min(step, totalSteps) / Math.Max(1, totalSteps), power);
}
