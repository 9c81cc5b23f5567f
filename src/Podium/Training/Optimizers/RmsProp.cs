using Podium.Config;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>RMSprop (Hinton's lecture 6e): the gradient divided by a running root mean square, with optional momentum.</summary>
public sealed class RmsProp(IReadOnlyList<ParameterGroup> groups, double lr, double momentum, double alpha, double eps) : Optimizer(groups,
    lr, momentum)
{
    [Component("rmsprop")]
    public sealed record Options : OptimizerOptions
    {
        [NonNegative] public double Momentum { get; init; } = 0.9;

        /// <summary>The squared-gradient average's smoothing constant.</summary>
        [Within(0, 1)] public double Alpha { get; init; } = 0.99;
        [Positive] public double Eps { get; init; } = 1e-8;

        public override Optimizer Build(IReadOnlyList<ParameterGroup> groups) => new RmsProp(groups, Lr, Momentum, Alpha, Eps);
    }

    protected override void Update(Parameter p, Tensor grad, ParameterState state, double lr, double weightDecay)
    {
        if (weightDecay != 0)
        {
            using var decay = weightDecay.ToScalar();
            grad = grad.add(p, decay);
        }
        using var smoothing = alpha.ToScalar();
        using var rest = (1 - alpha).ToScalar();
        using var epsilon = eps.ToScalar();
        using var step = (-lr).ToScalar();
        var squareAverage = Slot(p, state, 0).mul_(smoothing).addcmul_(grad, grad, rest);
        var average = squareAverage.sqrt().add_(epsilon, Platform.Scalars.One);
        if (Momentum > 0)
        {
            using var momentum = Momentum.ToScalar();
            var buffer = Slot(p, state, 1).mul_(momentum).addcdiv_(grad, average, Platform.Scalars.One);
            p.add_(buffer, step);
        }
        else p.addcdiv_(grad, average, step);
    }
}
