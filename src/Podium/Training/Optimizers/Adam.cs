using Podium.Config;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>Adam (Kingma and Ba 2015) with L2 weight decay added to the gradient.</summary>
public sealed class Adam(IReadOnlyList<ParameterGroup> groups, double lr, double beta1, double beta2, double eps) : Optimizer(groups, lr,
    beta1)
{
    [Component("adam")]
    public sealed record Options : AdamFamilyOptions
    {
        [Positive] public double Eps { get; init; } = 1e-8;

        public override Optimizer Build(IReadOnlyList<ParameterGroup> groups) => new Adam(groups, Lr, Beta1, Beta2, Eps);
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
        AdamW.Moments(p, grad, state, b1, beta2);
        AdamW.Apply(p, state, bias2, eps, lr / bias1); // PyTorch squares with the gradient's conjugate: the same for real tensors
    }
}
