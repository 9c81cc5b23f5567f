using Podium.Config;

namespace Podium.Training;

/// <summary>PyTorch's StepLR: lr · γ^⌊t / step_size⌋.</summary>
public sealed class StepDecay(double lr, int stepSize, double gamma) : LrSchedule
{
    public override double LearningRate(long step) => lr * Math.Pow(gamma, step / Math.Max(1, stepSize));
}
