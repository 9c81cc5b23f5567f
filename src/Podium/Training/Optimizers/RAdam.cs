using Podium.Config;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>RAdam (Liu et al. 2020): Adam whose adaptive step is switched on, rectified, once the variance estimate is
/// trustworthy.</summary>
public sealed class RAdam(IReadOnlyList<ParameterGroup> groups, double lr, double beta1, double beta2, double eps) : Optimizer(groups, lr,
    beta1)
{
    [Component("radam")]
    public sealed record Options : AdamFamilyOptions
    {
        [Positive] public double Eps { get; init; } = 1e-8;

        public override Optimizer Build(IReadOnlyList<ParameterGroup> groups) => new RAdam(groups, Lr, Beta1, Beta2, Eps);
    }

    protected override void Update(Parameter p, Tensor grad, ParameterState state, double lr, double weightDecay)
    {
        double b1 = Momentum;
        double bias1 = 1 - Math.Pow(b1, state.Step), bias2 = 1 - Math.Pow(beta2, state.Step);
        if (weightDecay != 0)
        {
            using var decay = weightDecay.ToScalar();
            grad = grad.add(p, decay);
        }
        else grad = grad.alias();
        AdamW.Moments(p, grad, state, b1, beta2);
        using var correction1 = bias1.ToScalar();
        using var rate = lr.ToScalar();
        var corrected = Slot(p, state, 0).div(correction1);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * state.Step * Math.Pow(beta2, state.Step) / bias2;
        var scaled = corrected.mul(rate);
        if (rhoT > 5)
        {
            double rect = Math.Sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            using var epsilon = eps.ToScalar();
            using var root = Math.Sqrt(bias2).ToScalar();
            using var rectifier = rect.ToScalar();
            var adaptive = Slot(p, state, 1).sqrt().add_(epsilon, Platform.Scalars.One).reciprocal().mul(root);
            p.add_(scaled.mul(rate).mul(adaptive).mul(rectifier), Platform.Scalars.MinusOne);
        }
        else p.add_(scaled, Platform.Scalars.MinusOne);
    }
}
