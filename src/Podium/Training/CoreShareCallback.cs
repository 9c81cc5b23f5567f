using Podium.Platform;

namespace Podium.Training;

/// <summary>
/// Registers the training with <see cref="CoreShare"/> for the length of the fit and applies its share of the cores,
/// re-read between steps. A deterministic run (or an explicit train.threads) keeps one thread count, since a different
/// count sums in another order.
/// </summary>
public sealed class CoreShareCallback : ITrainerCallback, IDisposable
{
    private CoreShare? _share;

    public void OnFitStart(TrainerState state)
    {
        var t = state.Config.Train;
        _share = CoreShare.Join(t.Threads > 0 ? t.Threads : state.Config.Deterministic ? CoreShare.Cores : null);
    }

    public void OnStep(TrainerState state, StepRecord step) => _share?.Refresh();

    public void OnFitEnd(TrainerState state) => Dispose();

    /// <summary>Leaves the register (also when a fit fails: a live registration would halve others' threads).</summary>
    public void Dispose()
    {
        _share?.Dispose();
        _share = null;
    }
}
