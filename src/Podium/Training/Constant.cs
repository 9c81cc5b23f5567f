using Podium.Config;

namespace Podium.Training;

public sealed class Constant(double lr) : LrSchedule
{
    [Component("constant")]
    public sealed record Options : SchedulerOptions
    {
        protected override LrSchedule Build(double lr, long total, long warmup, double warmupFraction, bool perEpoch) => new Constant(lr);
    }

    public override double LearningRate(long step) => lr;
}
