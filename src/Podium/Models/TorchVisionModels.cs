using Podium.Config;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// The ResNets and MobileNets of TorchVision for .NET, their residual blocks rewired to add with kept-alive Scalars (<see
/// cref="TorchVisionRewire"/>). They take no options of their own (their head's dropout is <c>model.head.dropout</c>).
/// </summary>
public static class TorchVisionModels
{
    /// <summary>Each variant: its builder for a class count, pooled feature width and classifier prefix.</summary>
    private static readonly Dictionary<string, (Func<int, Module<Tensor, Tensor>> Build, long Width, string Classifier)> Variants = new()
    {
        ["resnet18"] = (n => torchvision.models.resnet18(num_classes: n), 512, "fc"),
        // ML.NET's ImageNet ResNet-18 (the resnet18-imagenet weights): TorchVision's layers with 3 blocks in the last stage.
        ["resnet18_mlnet"] = (n => new TorchSharp.Modules.ResNet("ResNet18", ResNetBlock.Basic, 1, [2, 2, 2, 3], n), 512, "fc"),
        ["resnet34"] = (n => torchvision.models.resnet34(num_classes: n), 512, "fc"),
        ["resnet50"] = (n => torchvision.models.resnet50(num_classes: n), 2048, "fc"),
        ["resnet101"] = (n => torchvision.models.resnet101(num_classes: n), 2048, "fc"),
        ["resnext50_32x4d"] = (n => torchvision.models.resnext50_32x4d(num_classes: n), 2048, "fc"),
        ["wide_resnet50_2"] = (n => torchvision.models.wide_resnet50_2(num_classes: n), 2048, "fc"),
        ["mobilenet_v2"] = (n => torchvision.models.mobilenet_v2(num_classes: n), 1280, "classifier"),
        ["mobilenet_v3_small"] = (n => MobileNetV3(torchvision.models.mobilenet_v3_small(), 576, 1024, n), 576, "classifier"),
        ["mobilenet_v3_large"] = (n => MobileNetV3(torchvision.models.mobilenet_v3_large(), 960, 1280, n), 960, "classifier"),
    };

    public sealed record Options : BackboneOptions, IComponentFamily
    {
        public static IReadOnlyCollection<string> Names => Variants.Keys;

        public override Module<Tensor, Tensor> Build(string name, int classes, int imgSize) =>
            classes == 0 ? Features(name, imgSize) : TorchVisionRewire.Apply(Variants[name].Build(classes));

        public override long FeatureWidth(string name) => Variants[name].Width;

        public override string Classifier(string name) => Variants[name].Classifier;

        /// <summary>The network cut before its classifier (ResNets end in avgpool + fc, MobileNets in classifier).</summary>
        public override Module<Tensor, Tensor> Features(string name, int imgSize)
        {
            var full = Build(name, 2, imgSize); // its 2-class head is dropped
            var children = full.named_children().ToList();
            var layers = children.Where(c => c.name is not ("fc" or "classifier")).Select(c => (c.name, (Module<Tensor,
                Tensor>)c.module)).ToList();
            if (name == "mobilenet_v2") layers.Add(("avgpool", AdaptiveAvgPool2d(1)));
            if (!layers.Any(l => l.name == "flatten")) layers.Add(("flatten", Flatten()));
            foreach (var dropped in children.Where(c => c.name is "fc" or "classifier")) dropped.module.Dispose();
            return Sequential(layers);
        }
    }

    // TorchVision's MobileNetV3 builders take no class count: keep its features, give it a head of
    // the same shape as torchvision's (Linear, Hardswish, Dropout, Linear) for numClasses.
    private static Module<Tensor, Tensor> MobileNetV3(Module<Tensor, Tensor> model, int lastChannels, int hidden, int numClasses)
    {
        var children = model.named_children().ToDictionary(c => c.name, c => c.module);
        children["classifier"].Dispose(); // TorchVision's 1000-class head: replaced, its tensors freed now
        var head = Sequential(Linear(lastChannels, hidden), Hardswish(), Dropout(0.2), Linear(hidden, numClasses));
        return Sequential(
            ("features", (Module<Tensor, Tensor>)children["features"]),
            ("avgpool", AdaptiveAvgPool2d(1)),
            ("flatten", Flatten()),
            ("classifier", head));
    }
}
