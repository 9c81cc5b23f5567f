using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// A loss's options (<c>train.loss</c>): registered with <see cref="ComponentAttribute"/>, they hold its parameters, defaults and
/// rules and build the loss. Every loss has a weight, used when it is a term of a sum.
/// </summary>
public abstract record LossOptions : ComponentOptions
{
    /// <summary>This loss's weight as a term of a sum.</summary>
    [NonNegative] public double Weight { get; init; } = 1;

    public abstract nn.Module<Tensor, Tensor, Tensor> Build(LossContext context);
}
