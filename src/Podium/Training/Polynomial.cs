using Podium.Config;

namespace Podium.Training;

/// <summary>PyTorch's PolynomialLR (with a floor): min_lr + (lr − min_lr)·(1 − min(t, T)/T)^power.</summary>
public sealed class Polynomial(double lr, long totalSteps, double power, double minLr = 0) : LrSchedule
{
    public override double LearningRate(long step) =>
        minLr + (lr - minLr) * Math.Pow(1 - (double)Math.Min(step, totalSteps) / Math.Max(1, totalSteps), power);
}
