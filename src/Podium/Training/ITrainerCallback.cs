using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// Lightning-style hooks: the trainer owns the loop, everything optional (EMA, mixed precision, freezing, early stopping,
/// checkpoints, resume, logging, plots, progress) is a callback. Called in list order; scopes from
/// <see cref="OnValidationStart"/> close in reverse order.
/// </summary>
public interface ITrainerCallback
{
    void OnFitStart(TrainerState state) { }
    /// <summary>Before the epoch's first step (state.Epoch is the new epoch).</summary>
    void OnEpochStart(TrainerState state) { }
    /// <summary>Before the first batch of an optimizer update (after the gradients were zeroed).</summary>
    void OnUpdateStart(TrainerState state) { }
    /// <summary>The objective about to be back-propagated, possibly changed (a loss scale).</summary>
    Tensor OnBackward(TrainerState state, Tensor objective) => objective;
    void OnAfterBackward(TrainerState state) { }
    /// <summary>Whether the update may step (false skips it: overflowed fp16 gradients). Every callback is asked.</summary>
    bool OnBeforeOptimizerStep(TrainerState state) => true;
    void OnAfterOptimizerStep(TrainerState state) { }
    void OnStep(TrainerState state, StepRecord step) { }
    /// <summary>Before validation; the returned scope (e.g. EMA weights swapped in) closes after <see cref="OnEpochEnd"/>.</summary>
    IDisposable? OnValidationStart(TrainerState state) => null;
    /// <summary>After validation, inside its scopes: the weights validated are in the model (checkpoints save them).</summary>
    void OnEpochEnd(TrainerState state, EpochRecord epoch) { }
    /// <summary>After the validation scopes closed: the live weights are back (a resume set saves them).</summary>
    void OnEpochComplete(TrainerState state) { }
    void OnFitEnd(TrainerState state) { }
}
