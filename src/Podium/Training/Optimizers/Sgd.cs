using Podium.Config;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>SGD with momentum (the first step's buffer is the gradient itself, PyTorch's rule), optional Nesterov, L2 weight
/// decay.</summary>
public sealed class Sgd(IReadOnlyList<ParameterGroup> groups, double lr, double momentum, bool nesterov) : Optimizer(groups, lr, momentum)
{
    [Component("sgd")]
    public sealed record Options : OptimizerOptions
    {
        [NonNegative] public double Momentum { get; init; } = 0.9;
        public bool Nesterov { get; init; }

        public override Optimizer Build(IReadOnlyList<ParameterGroup> groups) => new Sgd(groups, Lr, Momentum, Nesterov);
    }

    protected override void Update(Parameter p, Tensor grad, ParameterState state, double lr, double weightDecay)
    {
        if (weightDecay != 0)
        {
            using var decay = weightDecay.ToScalar();
            grad = grad.add(p, decay);
        }
        if (Momentum != 0)
        {
            using var momentum = Momentum.ToScalar();
            if (state.Slots[0] is not { } buffer) buffer = Keep(state, 0, grad.clone().detach());
            else buffer.mul_(momentum).add_(grad, Platform.Scalars.One); // dampening 0: alpha 1 - 0
            grad = nesterov ? grad.add(buffer, momentum) : buffer;
        }
        using var step = (-lr).ToScalar();
        p.add_(grad, step);
    }
}
