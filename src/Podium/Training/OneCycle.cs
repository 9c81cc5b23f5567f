using Podium.Config;

namespace Podium.Training;

/// <summary>
/// PyTorch's OneCycleLR (two phases, cosine annealing): from max_lr/div_factor up to max_lr over
/// pct_start of the steps, then down to initial/final_div_factor; momentum moves the other way.
/// Phase ends at pct_start*total - 1 and total - 1, as PyTorch computes them.
/// </summary>
public sealed class OneCycle(double maxLr, long totalSteps, double pctStart, double divFactor = 25, double finalDivFactor = 1e4,
    double? baseMomentum = 0.85, double maxMomentum = 0.95) : LrSchedule
{
    [Component("onecycle")]
    public sealed record Options : SchedulerOptions
    {
        /// <summary>Initial lr = lr / div_factor.</summary>
        [Positive] public double DivFactor { get; init; } = 25;

        /// <summary>Final lr = initial lr / final_div_factor.</summary>
        [Positive] public double FinalDivFactor { get; init; } = 1e4;

        /// <summary>Cycle momentum (SGD) or beta1 (Adam family) inversely to the lr, as PyTorch does.</summary>
        public bool CycleMomentum { get; init; } = true;
        public double BaseMomentum { get; init; } = 0.85;
        public double MaxMomentum { get; init; } = 0.95;

        protected override double OwnWarmup => 0.3;
        protected override bool WarmsUpItself => true;

        protected override LrSchedule Build(double lr, long total, long warmup, double warmupFraction, bool perEpoch) =>
            new OneCycle(lr, total, warmupFraction, DivFactor, FinalDivFactor, CycleMomentum ? BaseMomentum : null, MaxMomentum);
    }

    private readonly double _initial = maxLr / divFactor;
    private readonly double _warmEnd = pctStart * totalSteps - 1;
    private readonly double _end = totalSteps - 1;

    public override double LearningRate(long step) => Interpolate(step, _initial, maxLr, _initial / finalDivFactor);

    public override double? Momentum(long step) => baseMomentum is { } b ? Interpolate(step, maxMomentum, b, maxMomentum) : null;

    private double Interpolate(long step, double start, double peak, double end)
    {
        if (step <= _warmEnd) return Cos(start, peak, _warmEnd <= 0 ? 1 : step / _warmEnd);
        return Cos(peak, end, Math.Min(1, (step - _warmEnd) / (_end - _warmEnd)));
    }

    private static double Cos(double from, double to, double pct) => to + (from - to) / 2.0 * (Math.Cos(Math.PI * pct) + 1);
}
