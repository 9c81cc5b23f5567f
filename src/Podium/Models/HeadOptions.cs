using Podium.Config;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// A classification head's options (<c>model.head</c>): registered with <see cref="ComponentAttribute"/>, they hold its
/// parameters, defaults and rules and build it over a backbone's pooled features.
/// </summary>
public abstract record HeadOptions : ComponentOptions
{
    public abstract Module<Tensor, Tensor> Build(long features, int classes);
}
