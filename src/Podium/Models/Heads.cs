using Podium.Config;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>Classification heads over a backbone's pooled features (model.head).</summary>
public static class Heads
{
    /// <summary>Every head: the options records deriving from <see cref="HeadOptions"/>.</summary>
    public static readonly ComponentRegistry<HeadOptions> Registry = new("head", "linear");

    /// <summary>The configured head's options, or null for the backbone's own linear layer.</summary>
    public static HeadOptions? Options(ComponentConfig? head) => head is null ? null : Registry.Options(head, "model.head");

    /// <summary>linear: one linear layer, behind dropout when asked.</summary>
    [Component("linear")]
    public sealed record LinearOptions : HeadOptions
    {
        [Within(0, 1, upperOpen: true)] public double Dropout { get; init; }

        public override Module<Tensor, Tensor> Build(long features, int classes) =>
            Dropout > 0 ? Sequential(nn.Dropout(Dropout), Linear(features, classes)) : Linear(features, classes);
    }
}
