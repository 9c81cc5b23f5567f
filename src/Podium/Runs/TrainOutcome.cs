using Podium.Tasks;
using Podium.Tracking;
using Podium.Training;

namespace Podium.Runs;

/// <summary>What a finished training run left behind: its folder, its best epoch, why it stopped early if it did, and its task's final
/// evaluation.</summary>
public sealed record TrainOutcome(RunDirectory Run, int BestEpoch, EpochRecord? Best, string? StopReason, TaskOutcome Task);
