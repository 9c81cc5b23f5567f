using Podium.Config;

namespace Podium.Training;

/// <summary>PyTorch's MultiStepLR: lr · γ^(milestones passed).</summary>
public sealed class MultiStep(double lr, IReadOnlyList<int> milestones, double gamma) : LrSchedule
{
    public override double LearningRate(long step) => lr * Math.Pow(gamma, milestones.Count(m => step >= m));
}
