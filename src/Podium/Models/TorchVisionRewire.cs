using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// TorchVision for .NET's ResNets and MobileNets with their residual additions done Podium's way. Their blocks add the
/// shortcut with <c>x.add_(identity)</c> or <c>x + y</c>, whose implicit alpha of 1 is a temporary Scalar a collection on
/// another thread can free while libtorch reads it (the "Expected false to be true" crash of long runs). The rewired
/// model keeps TorchVision's own layers, built and initialised by TorchVision (so a seed gives the same weights), under
/// the same names (so TorchVision's checkpoints load), and only the blocks' forward changes: the same additions with a
/// Scalar that lives as long as the process. Their batch norms, which count batches with temporary Scalars too, become
/// Podium's <see cref="BatchNorm"/> with the same values.
/// </summary>
public static class TorchVisionRewire
{
    private static readonly string[] Blocks = ["TorchSharp.Modules.ResNet+BasicBlock", "TorchSharp.Modules.ResNet+Bottleneck",
        "TorchSharp.Modules.MobileNetV2+InvertedResidual", "TorchSharp.Modules.MobileNetV3+InvertedResidual"];

    private static bool NeedsRewiring(nn.Module m) =>
        Blocks.Contains(m.GetType().FullName ?? "") || m is TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d;

    /// <summary>The model with every residual block replaced; containers become Sequentials of the same children in the same
    /// order.</summary>
    public static Module<Tensor, Tensor> Apply(Module<Tensor, Tensor> model)
    {
        var type = model.GetType().FullName ?? "";
        if (type == Blocks[0] || type == Blocks[1]) return new ResNetBlock(model);
        if (type == Blocks[2] || type == Blocks[3]) return new InvertedResidualBlock(model);
        if (model is TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d) return
            BatchNorm.From((TorchSharp.Modules.BatchNorm)model);
        if (!model.modules().Any(NeedsRewiring)) return model; // nothing to rewire below
        var children = model.named_children().Select(c => (c.name, Apply((Module<Tensor, Tensor>)c.module))).ToList();
        if (type == "TorchSharp.Modules.MobileNetV2")
            return new MobileNetV2Body(children.Single(c => c.name == "classifier").Item2,
                children.Single(c => c.name == "features").Item2);
        // ResNet's forward is its children in order.
        if (model is TorchSharp.Modules.Sequential || type == "TorchSharp.Modules.ResNet") return Sequential(children);
        throw new InvalidOperationException($"TorchVisionRewire: no rule for {type}");
    }
}
