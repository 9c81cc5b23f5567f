using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// An optimizer written here on tensors: per-parameter state (step count and moment tensors, made on a parameter's
/// first update), the schedule's lr and momentum/beta1 set every update, each group's lr scale and weight decay.
/// The updates are TorchSharp 0.107's own, op for op (so runs give the same numbers), but every number reaches
/// libtorch as a Scalar that lives until the call returns: TorchSharp's optimizers pass temporaries (about 600 per
/// ResNet-18 step), which a collection on another thread can free mid-call.
/// </summary>
public abstract class Optimizer : IBinaryResumable
{
    /// <summary>Written first in a saved state, so a state from another optimizer or format is refused, not misread.</summary>
    private const string Format = "podium-optimizer-1";

    private readonly Dictionary<Parameter, ParameterState> _state = new(ReferenceEqualityComparer.Instance);
    private readonly double[] _lr;

    protected Optimizer(IReadOnlyList<ParameterGroup> groups, double lr, double momentum)
    {
        Groups = groups;
        _lr = groups.Select(g => lr * g.LrScale).ToArray();
        Momentum = momentum;
    }

    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>SGD and RMSprop: the momentum; Adam family and Lion: beta1.</summary>
    protected double Momentum { get; private set; }

    /// <summary>The lr each group steps with now (the schedule's lr times the group's scale).</summary>
    public IReadOnlyList<double> LearningRates => _lr;

    /// <summary>What a parameter's updates need between steps.</summary>
    protected internal sealed class ParameterState
    {
        public long Step;
        /// <summary>NAdam's running product of the momentum schedule.</summary>
        public double MuProduct = 1;
        public readonly Tensor?[] Slots = new Tensor?[3];
    }

    /// <summary>Sets every group's lr to <paramref name="lr"/> × its scale, and the momentum (or beta1) when given.</summary>
    public void Set(double lr, double? momentum)
    {
        for (int i = 0; i < _lr.Length; i++) _lr[i] = lr * Groups[i].LrScale;
        if (momentum is { } m) Momentum = m;
    }

    public void ZeroGrad()
    {
        // The gradient wrappers (and the one zero_ returns) belong to the scope: none is left to the finalizer, which
        // could free one while libtorch works through it.
        using var scope = NewDisposeScope();
        foreach (var g in Groups)
            foreach (var p in g.Parameters) p.grad?.zero_();
    }

    /// <summary>One update of every parameter that has a gradient (frozen ones have none, and their step counts stay).</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < Groups.Count; i++)
            foreach (var p in Groups[i].Parameters)
            {
                using var scope = NewDisposeScope();
                if (p.grad is not { } grad) continue;
                if (!_state.TryGetValue(p, out var state)) _state[p] = state = new ParameterState();
                state.Step++;
                Update(p, grad, state, _lr[i], Groups[i].WeightDecay);
            }
    }

    protected abstract void Update(Parameter p, Tensor grad, ParameterState state, double lr, double weightDecay);

    /// <summary>Slot <paramref name="slot"/> of a parameter's state: zeros at first, kept out of every dispose scope.</summary>
    protected static Tensor Slot(Parameter p, ParameterState state, int slot) =>
        state.Slots[slot] ??= zeros_like(p).DetachFromDisposeScope();

    /// <summary>Stores <paramref name="value"/> (made in the step's scope) as slot <paramref name="slot"/>.</summary>
    protected static Tensor Keep(ParameterState state, int slot, Tensor value) => state.Slots[slot] = value.DetachFromDisposeScope();

    public string ResumeFile => "optimizer.bin";

    /// <summary>Step counts and state tensors, parameter by parameter in group order.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(Format);
        writer.Write(GetType().Name);
        foreach (var p in Groups.SelectMany(g => g.Parameters))
        {
            bool has = _state.TryGetValue(p, out var s);
            writer.Write(has);
            if (!has) continue;
            writer.Write(s!.Step);
            writer.Write(s.MuProduct);
            foreach (var t in s.Slots)
            {
                writer.Write(t is not null);
                t?.Save(writer);
            }
        }
    }

    public void Load(BinaryReader reader, string source)
    {
        string format, kind;
        try { (format, kind) = (reader.ReadString(), reader.ReadString()); }
        catch (Exception e) when (e is EndOfStreamException or IOException) { (format, kind) = ("", ""); }
        if (format != Format) throw new PodiumException($"{source}: not an optimizer state this Podium writes; resume the run with the " +
            $"Podium version that started it");
        if (kind != GetType().Name) throw new PodiumException($"{source}: holds {kind}'s state, the run's optimizer is {GetType().Name}");
        foreach (var p in Groups.SelectMany(g => g.Parameters))
        {
            if (!reader.ReadBoolean()) continue;
            var s = _state[p] = new ParameterState { Step = reader.ReadInt64(), MuProduct = reader.ReadDouble() };
            for (int i = 0; i < s.Slots.Length; i++)
                if (reader.ReadBoolean()) TensorExtensionMethods.Load(s.Slots[i] = zeros_like(p).DetachFromDisposeScope(), reader,
                    skip: false);
        }
    }
}
