using Podium.Config;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): the update is the sign
/// of an interpolation of momentum and gradient, with decoupled weight decay:
/// c = β1·m + (1 − β1)·g; θ ← θ·(1 − lr·λ) − lr·sign(c); m ← β2·m + (1 − β2)·g.
/// Use a learning rate 3–10x smaller than AdamW's and a weight decay 3–10x larger.
/// </summary>
public sealed class Lion(IReadOnlyList<ParameterGroup> groups, double lr, double beta1, double beta2) : Optimizer(groups, lr, beta1)
{
    [Component("lion")]
    public sealed record Options : AdamFamilyOptions
    {
        public override Optimizer Build(IReadOnlyList<ParameterGroup> groups) => new Lion(groups, Lr, Beta1, Beta2);
    }

    protected override void Update(Parameter p, Tensor grad, ParameterState state, double lr, double weightDecay)
    {
        var m = Slot(p, state, 0);
        using var b1 = Momentum.ToScalar();
        using var rest1 = (1 - Momentum).ToScalar();
        var update = m.mul(b1).add(grad.mul(rest1), Platform.Scalars.One).sign_();
        if (weightDecay > 0)
        {
            using var decay = (1 - lr * weightDecay).ToScalar();
            p.mul_(decay);
        }
        using var step = (-lr).ToScalar();
        p.add_(update, step);
        using var b2 = beta2.ToScalar();
        using var rest2 = (1 - beta2).ToScalar();
        m.mul_(b2).add_(grad, rest2);
    }
}
