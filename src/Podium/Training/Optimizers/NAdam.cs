using Podium.Config;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>NAdam (Dozat 2016): Adam with Nesterov momentum and the momentum-decay schedule μ_t = β1(1 − ½·0.96^(t·ψ)).</summary>
public sealed class NAdam(IReadOnlyList<ParameterGroup> groups, double lr, double beta1, double beta2, double eps, double momentumDecay)
    : Optimizer(groups, lr, beta1)
{
    [Component("nadam")]
    public sealed record Options : AdamFamilyOptions
    {
        [Positive] public double Eps { get; init; } = 1e-8;
        [NonNegative] public double MomentumDecay { get; init; } = 4e-3;

        public override Optimizer Build(IReadOnlyList<ParameterGroup> groups) => new NAdam(groups, Lr, Beta1, Beta2, Eps, MomentumDecay);
    }

    protected override void Update(Parameter p, Tensor grad, ParameterState state, double lr, double weightDecay)
    {
        double b1 = Momentum;
        double bias2 = 1 - Math.Pow(beta2, state.Step);
        if (weightDecay != 0)
        {
            using var decay = weightDecay.ToScalar();
            grad = grad.add(p, decay);
        }
        else grad = grad.alias();
        double mu = b1 * (1.0 - 0.5 * Math.Pow(0.96, state.Step * momentumDecay));
        double muNext = b1 * (1.0 - 0.5 * Math.Pow(0.96, (state.Step + 1) * momentumDecay));
        double muProduct = state.MuProduct * mu, muProductNext = muProduct * muNext;
        AdamW.Moments(p, grad, state, b1, beta2);
        using var correction2 = bias2.ToScalar();
        using var epsilon = eps.ToScalar();
        using var gradStep = (-lr * (1 - mu) / (1 - muProduct)).ToScalar();
        using var momentStep = (-lr * muNext / (1 - muProductNext)).ToScalar();
        var denom = Slot(p, state, 1).div(correction2).sqrt_().add_(epsilon, Platform.Scalars.One);
        p.addcdiv_(grad, denom, gradStep);
        p.addcdiv_(Slot(p, state, 0), denom, momentStep);
        state.MuProduct = muProduct;
    }
}
