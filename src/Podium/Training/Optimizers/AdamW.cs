using Podium.Config;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>AdamW (Loshchilov and Hutter 2019): Adam with weight decay applied to the weights, decoupled from the gradient.</summary>
public sealed class AdamW(IReadOnlyList<ParameterGroup> groups, double lr, double beta1, double beta2, double eps) : Optimizer(groups, lr,
    beta1)
{
    [Component("adamw")]
    public sealed record Options : AdamFamilyOptions
    {
        [Positive] public double Eps { get; init; } = 1e-8;

        public override Optimizer Build(IReadOnlyList<ParameterGroup> groups) => new AdamW(groups, Lr, Beta1, Beta2, Eps);
    }

    protected override void Update(Parameter p, Tensor grad, ParameterState state, double lr, double weightDecay)
    {
        using (var decay = (1 - lr * weightDecay).ToScalar()) p.mul_(decay);
        double b1 = Momentum;
        double bias1 = 1 - Math.Pow(b1, state.Step), bias2 = 1 - Math.Pow(beta2, state.Step);
        Moments(p, grad, state, b1, beta2);
        Apply(p, state, bias2, eps, lr / bias1);
    }

    /// <summary>m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g² (slots 0 and 1).</summary>
    internal static void Moments(Parameter p, Tensor grad, ParameterState state, double beta1, double beta2)
    {
        using var b1 = beta1.ToScalar();
        using var rest1 = (1 - beta1).ToScalar();
        using var b2 = beta2.ToScalar();
        using var rest2 = (1 - beta2).ToScalar();
        Slot(p, state, 0).mul_(b1).add_(grad, rest1);
        Slot(p, state, 1).mul_(b2).addcmul_(grad, grad, rest2);
    }

    /// <summary>θ ← θ − step·m / (√v / √(1 − β2^t) + ε).</summary>
    internal static void Apply(Parameter p, ParameterState state, double bias2, double eps, double stepSize)
    {
        using var root = Math.Sqrt(bias2).ToScalar();
        using var epsilon = eps.ToScalar();
        using var step = (-stepSize).ToScalar();
        var denom = Slot(p, state, 1).sqrt().div(root).add_(epsilon, Platform.Scalars.One);
        p.addcdiv_(Slot(p, state, 0), denom, step);
    }
}
