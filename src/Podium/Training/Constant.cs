using Podium.Config;

namespace Podium.Training;

public sealed class Constant(double lr) : LrSchedule
{
    public override double LearningRate(long step) => lr;
}
