using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// TorchVision's MobileNetV2 after <see cref="TorchVisionRewire"/>: its classifier and features, registered in
/// TorchVision's order (classifier first, so checkpoints list the same keys in the same order), run features → global
/// average pool → flatten → classifier as TorchVision's forward does.
/// </summary>
internal sealed class MobileNetV2Body : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> classifier;
    private readonly Module<Tensor, Tensor> features;

    public MobileNetV2Body(Module<Tensor, Tensor> classifier, Module<Tensor, Tensor> features) : base("MobileNetV2")
    {
        this.classifier = classifier;
        this.features = features;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pooled = functional.adaptive_avg_pool2d(features.call(x), [1, 1]);
        return classifier.call(pooled.flatten(1)).MoveToOuterDisposeScope();
    }
}
