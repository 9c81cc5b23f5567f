using System.Text.RegularExpressions;
using Podium.Config;

namespace Podium.Training;

/// <summary>
/// Feature extraction and gradual unfreezing (ULMFiT's recipe for fine-tuning): with freeze: backbone,
/// only the head's parameters train; each unfreeze entry lets more train from its epoch on. Set at
/// the start of every epoch from the epoch alone, so a resumed run freezes exactly the same. Frozen batch norms run in eval
/// mode.
/// </summary>
public sealed class FreezeSchedule(ModelConfig model, string headPattern, Action<string>? log = null) : ITrainerCallback
{
    private readonly Regex _head = new(headPattern, RegexOptions.CultureInvariant);
    private int _lastTrainable = -1;

    public void OnEpochStart(TrainerState state)
    {
        var open = model.Unfreeze.Where(u => state.Epoch >= u.Epoch).Select(u => new Regex(u.Pattern,
            RegexOptions.CultureInvariant)).ToList();
        int trainable = 0, total = 0;
        foreach (var (name, p) in state.Model.named_parameters())
        {
            bool train = _head.IsMatch(name) || open.Any(r => r.IsMatch(name));
            p.requires_grad = train;
            if (!train) p.grad = null; // no stale gradient keeps moving a frozen weight
            total++;
            if (train) trainable++;
        }
        // A frozen batch norm keeps its running statistics and uses them, as Keras's frozen layers do: in training mode it would
        // normalise with each batch's statistics and drift its running ones, and the head would learn on other features than
        // validation gives it.
        int frozenNorms = 0;
        foreach (var module in state.Model.modules())
            if (module is TorchSharp.Modules.BatchNorm norm && norm.parameters().All(p => !p.requires_grad))
            {
                norm.eval();
                frozenNorms++;
            }
        if (trainable != _lastTrainable)
            log?.Invoke($"epoch {state.Epoch}: {trainable} of {total} parameter tensors train" +
                (frozenNorms > 0 ? $"; {frozenNorms} frozen batch norms use their running statistics" : ""));
        _lastTrainable = trainable;
    }
}
