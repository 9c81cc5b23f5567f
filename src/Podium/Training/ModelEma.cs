using Podium.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// An exponential moving average of the model's weights (timm's ModelEmaV3): after every update,
/// shadow ← d·shadow + (1 − d)·weights for floating-point parameters and buffers (others copied),
/// with d warming up as min(decay, (1 + n)/(10 + n)) so early averages are not stuck at the random
/// start. Validation and checkpoints use the averaged weights while <see cref="Apply"/> holds.
/// </summary>
public sealed class ModelEma : ITrainerCallback, IBinaryResumable, IDisposable
{
    private readonly List<(Tensor Live, Tensor Shadow)> _pairs = [];
    private readonly double _decay;
    private readonly bool _warmup;
    private long _updates;

    public ModelEma(nn.Module model, double decay, bool warmup = true)
    {
        (_decay, _warmup) = (decay, warmup);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (_, t) in model.state_dict()) _pairs.Add((t, t.detach().clone().DetachFromDisposeScope()));
    }

    /// <summary>The decay the next update uses.</summary>
    public double Decay => _warmup ? Math.Min(_decay, (1.0 + _updates) / (10.0 + _updates)) : _decay;

    public void Update()
    {
        double d = Decay;
        _updates++;
        using var noGrad = no_grad();
        foreach (var (live, shadow) in _pairs)
        {
            if (live.is_floating_point()) shadow.TimesInPlace(d).AddScaledInPlace(live, 1 - d);
            else shadow.copy_(live);
        }
    }

    /// <summary>Puts the averaged weights into the model until the returned scope is disposed.</summary>
    public IDisposable Apply()
    {
        var backup = new List<Tensor>(_pairs.Count);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // the detached views go with it; the backups are kept out of it
        foreach (var (live, shadow) in _pairs)
        {
            backup.Add(live.detach().clone().DetachFromDisposeScope());
            live.copy_(shadow);
        }
        return new Restore(this, backup);
    }

    private sealed class Restore(ModelEma ema, List<Tensor> backup) : IDisposable
    {
        public void Dispose()
        {
            using var noGrad = no_grad();
            for (int i = 0; i < backup.Count; i++)
            {
                ema._pairs[i].Live.copy_(backup[i]);
                backup[i].Dispose();
            }
        }
    }

    public void OnAfterOptimizerStep(TrainerState state) => Update();

    public IDisposable? OnValidationStart(TrainerState state) => Apply();

    public string ResumeFile => "ema.bin";

    public void Save(BinaryWriter writer)
    {
        writer.Write(_updates);
        foreach (var (_, shadow) in _pairs) shadow.Save(writer);
    }

    public void Load(BinaryReader reader, string source)
    {
        _updates = reader.ReadInt64();
        foreach (var (_, shadow) in _pairs) TensorExtensionMethods.Load(shadow, reader, skip: false);
    }

    public void Dispose()
    {
        foreach (var (_, shadow) in _pairs) shadow.Dispose();
        _pairs.Clear();
    }
}
