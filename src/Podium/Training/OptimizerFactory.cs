using System.Text.RegularExpressions;
using Podium.Config;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>Parameters that share a learning-rate scale and a weight decay.</summary>
public sealed record ParameterGroup(string Name, IReadOnlyList<Parameter> Parameters, double LrScale, double WeightDecay);

/// <summary>
/// Builds the configured optimizer over parameter groups and lets schedules set each group's lr
/// (schedule lr × the group's scale) and momentum/beta1 every step.
/// Groups: weight decay skips biases and normalisation weights (every parameter of one dimension,
/// as timm does), and <c>backbone_lr_scale</c> gives everything but the head (<c>head</c>, a regex on
/// parameter names) a lower rate: discriminative learning rates for fine-tuning.
/// </summary>
public sealed class OptimizerControl
{
    public static readonly string[] Names = ["sgd", "adam", "adamw", "radam", "nadam", "rmsprop", "lion"];

    private readonly optim.Optimizer? _torch;
    private readonly OwnOptimizer? _own;
    public IReadOnlyList<ParameterGroup> Groups { get; }

    private OptimizerControl(optim.Optimizer? torch, OwnOptimizer? own, IReadOnlyList<ParameterGroup> groups) => (_torch, _own, Groups) = (torch, own, groups);

    /// <summary>The libtorch optimizer, or null for one Podium implements itself (Lion).</summary>
    public optim.Optimizer? Torch => _torch;

    public static OptimizerControl Create(OptimizerConfig c, IEnumerable<(string Name, Parameter Parameter)> named)
    {
        var groups = Group(c, named);
        double lr = c.Lr;
        double b1 = c.Betas[0], b2 = c.Betas[1];
        optim.Optimizer? torchOptimizer = c.Name switch
        {
            "sgd" => optim.SGD(groups.Select(g => new SGD.ParamGroup(g.Parameters, lr * g.LrScale, c.Momentum, 0, g.WeightDecay, c.Nesterov, false)), lr),
            "adam" => optim.Adam(groups.Select(g => new Adam.ParamGroup(g.Parameters, lr * g.LrScale, b1, b2, c.Eps, g.WeightDecay, false, false)), lr),
            "adamw" => optim.AdamW(groups.Select(g => new AdamW.ParamGroup(g.Parameters, lr * g.LrScale, b1, b2, c.Eps, g.WeightDecay, false, false)), lr),
            "radam" => optim.RAdam(groups.Select(g => new RAdam.ParamGroup(g.Parameters, lr * g.LrScale, b1, b2, c.Eps, g.WeightDecay)), lr),
            "nadam" => optim.NAdam(groups.Select(g => new NAdam.ParamGroup(g.Parameters, lr * g.LrScale, b1, b2, c.Eps, g.WeightDecay, c.MomentumDecay)), lr),
            "lion" => null,
            "rmsprop" => optim.RMSProp(groups.Select(g => new RMSProp.ParamGroup(g.Parameters, lr * g.LrScale, c.Eps, c.Alpha, g.WeightDecay, c.Momentum, false)), lr),
            _ => throw new ConfigException($"train.optimizer.name: unknown optimizer '{c.Name}' ({string.Join(", ", Names)})"),
        };
        OwnOptimizer? own = c.Name switch
        {
            "lion" => new Lion(groups, lr, b1, b2),
            _ => null,
        };
        return new OptimizerControl(torchOptimizer, own, groups);
    }

    /// <summary>The parameter groups of a model under the config. Frozen parameters are included: they get no
    /// gradient, so no update, until unfreezing turns them back on.</summary>
    public static List<ParameterGroup> Group(OptimizerConfig c, IEnumerable<(string Name, Parameter Parameter)> named)
    {
        var head = c.Head is null ? null : new Regex(c.Head, RegexOptions.CultureInvariant);
        var buckets = new Dictionary<(double, double), (string Name, List<Parameter> List)>();
        foreach (var (name, p) in named)
        {
            bool inHead = head is null || head.IsMatch(name);
            double scale = inHead ? 1 : c.BackboneLrScale;
            double decay = c.DecayNormAndBias || p.dim() > 1 ? c.WeightDecay : 0;
            var key = (scale, decay);
            if (!buckets.TryGetValue(key, out var bucket))
                buckets[key] = bucket = ($"{(inHead ? "head" : "backbone")}{(decay == 0 && c.WeightDecay > 0 ? " (no decay)" : "")}", []);
            bucket.List.Add(p);
        }
        if (buckets.Count == 0) throw new PodiumException("the model has no trainable parameters");
        return buckets.Select(kv => new ParameterGroup(kv.Value.Name, kv.Value.List, kv.Key.Item1, kv.Key.Item2)).ToList();
    }

    /// <summary>The optimizer's state (moments, step counts) for a resumed run.</summary>
    public void Save(BinaryWriter writer)
    {
        if (_torch is not null) ((OptimizerHelper)_torch).save_state_dict(writer);
        else _own!.Save(writer);
    }

    public void Load(BinaryReader reader)
    {
        if (_torch is not null) ((OptimizerHelper)_torch).load_state_dict(reader);
        else _own!.Load(reader);
    }

    public void ZeroGrad()
    {
        if (_torch is not null) _torch.zero_grad();
        else foreach (var g in Groups) foreach (var p in g.Parameters) p.grad?.zero_();
    }

    public void Step()
    {
        if (_torch is not null) _torch.step();
        else _own!.Step();
    }

    /// <summary>Sets every group's lr to <paramref name="lr"/> × its scale, and momentum (SGD, RMSprop) or beta1 (Adam family, Lion).</summary>
    public void Set(double lr, double? momentum)
    {
        if (_own is not null) { _own.Set(lr, momentum); return; }
        var groups = _torch!.ParamGroups.ToArray();
        for (int i = 0; i < groups.Length; i++)
        {
            var g = groups[i];
            g.LearningRate = lr * Groups[i].LrScale;
            if (momentum is not { } m) continue;
            switch (g)
            {
                case AdamW.ParamGroup a: a.Betas = (m, a.Betas.Item2); break;
                case Adam.ParamGroup a: a.Betas = (m, a.Betas.Item2); break;
                case RAdam.ParamGroup a: a.Betas = (m, a.Betas.Item2); break;
                case NAdam.ParamGroup a: a.Betas = (m, a.Betas.Item2); break;
                case SGD.ParamGroup s: s.Momentum = m; break;
                case RMSProp.ParamGroup r: r.Momentum = m; break;
            }
        }
    }
}

/// <summary>An optimizer written here on tensors: per-parameter state, the schedule's lr and beta1, groups' scales and decays.</summary>
public abstract class OwnOptimizer(IReadOnlyList<ParameterGroup> groups, double lr, double beta1)
{
    protected IReadOnlyList<ParameterGroup> Groups { get; } = groups;
    protected double Lr { get; private set; } = lr;
    protected double Beta1 { get; private set; } = beta1;
    protected long Steps { get; private set; }
    private readonly Dictionary<(Parameter, int), Tensor> _state = new();

    public void Set(double lr, double? beta1)
    {
        Lr = lr;
        if (beta1 is { } b) Beta1 = b;
    }

    /// <summary>Slot <paramref name="slot"/> of a parameter's state, zeros at first (kept out of every dispose scope).</summary>
    protected Tensor State(Parameter p, int slot)
    {
        if (!_state.TryGetValue((p, slot), out var t)) _state[(p, slot)] = t = zeros_like(p).DetachFromDisposeScope();
        return t;
    }

    public void Step()
    {
        Steps++;
        using var noGrad = no_grad();
        foreach (var g in Groups)
            foreach (var p in g.Parameters)
            {
                if (p.grad is not { } grad) continue;
                using var scope = NewDisposeScope();
                Update(p, grad, Lr * g.LrScale, g.WeightDecay);
            }
    }

    protected abstract void Update(Parameter p, Tensor grad, double lr, double weightDecay);

    /// <summary>Step count and every state slot, parameter by parameter in group order.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(Steps);
        var slots = _state.Keys.Select(k => k.Item2).DefaultIfEmpty(-1).Max() + 1;
        writer.Write(slots);
        foreach (var g in Groups)
            foreach (var p in g.Parameters)
                for (int slot = 0; slot < slots; slot++)
                {
                    bool has = _state.TryGetValue((p, slot), out var t);
                    writer.Write(has);
                    if (has) t!.Save(writer);
                }
    }

    public void Load(BinaryReader reader)
    {
        Steps = reader.ReadInt64();
        int slots = reader.ReadInt32();
        foreach (var g in Groups)
            foreach (var p in g.Parameters)
                for (int slot = 0; slot < slots; slot++)
                    if (reader.ReadBoolean()) TensorExtensionMethods.Load(State(p, slot), reader, skip: false);
    }
}

/// <summary>
/// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): the update is the sign
/// of an interpolation of momentum and gradient, with decoupled weight decay:
/// c = β1·m + (1 − β1)·g; θ ← θ·(1 − lr·λ) − lr·sign(c); m ← β2·m + (1 − β2)·g.
/// Use a learning rate 3–10x smaller than AdamW's and a weight decay 3–10x larger.
/// </summary>
public sealed class Lion(IReadOnlyList<ParameterGroup> groups, double lr, double beta1, double beta2) : OwnOptimizer(groups, lr, beta1)
{
    protected override void Update(Parameter p, Tensor grad, double lr, double weightDecay)
    {
        var m = State(p, 0);
        var update = (m * Beta1 + grad * (1 - Beta1)).sign_();
        if (weightDecay > 0) p.mul_(1 - lr * weightDecay);
        p.add_(update, alpha: -lr);
        m.mul_(beta2).add_(grad, alpha: 1 - beta2);
    }
}
