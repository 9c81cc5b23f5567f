using Podium.Config;

namespace Podium.Training;

/// <summary>PyTorch's ExponentialLR: lr · γ^t.</summary>
public sealed class Exponential(double lr, double gamma) : LrSchedule
{
    public override double LearningRate(long step) => lr * Math.Pow(gamma, step);
}
