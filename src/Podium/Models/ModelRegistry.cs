using Podium.Config;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// timm-style registry: <c>ModelRegistry.Create("resnet18", numClasses, inChannels)</c>. Backbones
/// come from TorchVision for .NET; Podium adds the input adapter for non-RGB images.
/// </summary>
public static class ModelRegistry
{
    private static readonly Dictionary<string, Func<int, Module<Tensor, Tensor>>> Builders = new()
    {
        ["resnet18"] = n => torchvision.models.resnet18(num_classes: n),
        ["resnet34"] = n => torchvision.models.resnet34(num_classes: n),
        ["resnet50"] = n => torchvision.models.resnet50(num_classes: n),
        ["resnet101"] = n => torchvision.models.resnet101(num_classes: n),
        ["resnext50_32x4d"] = n => torchvision.models.resnext50_32x4d(num_classes: n),
        ["wide_resnet50_2"] = n => torchvision.models.wide_resnet50_2(num_classes: n),
        ["mobilenet_v2"] = n => torchvision.models.mobilenet_v2(num_classes: n),
        ["mobilenet_v3_small"] = n => MobileNetV3(torchvision.models.mobilenet_v3_small(), 576, 1024, n),
        ["mobilenet_v3_large"] = n => MobileNetV3(torchvision.models.mobilenet_v3_large(), 960, 1280, n),
    };

    public static IReadOnlyCollection<string> Names => Builders.Keys;

    /// <summary>A regex on parameter names that matches the model's classification head (the rest is the backbone).</summary>
    public static string HeadPattern(string name) => @"(^|\.)head\.|" +
        (name.StartsWith("resne", StringComparison.Ordinal) || name.StartsWith("wide_resnet", StringComparison.Ordinal) ? @"(^|\.)fc\." : @"(^|\.)classifier\.");

    /// <summary>Pooled feature width of each backbone (what a head receives).</summary>
    private static readonly Dictionary<string, long> FeatureWidths = new()
    {
        ["resnet18"] = 512, ["resnet34"] = 512, ["resnet50"] = 2048, ["resnet101"] = 2048, ["resnext50_32x4d"] = 2048,
        ["wide_resnet50_2"] = 2048, ["mobilenet_v2"] = 1280, ["mobilenet_v3_small"] = 576, ["mobilenet_v3_large"] = 960,
    };

    /// <summary>Creates a classifier for images of <paramref name="inChannels"/> channels, with TorchVision's own head or a configured one.</summary>
    public static Module<Tensor, Tensor> Create(string name, int numClasses, int inChannels, HeadConfig? head)
    {
        if (head is null || (head.Type == "linear" && head.Dropout == 0)) return Create(name, numClasses, inChannels);
        var net = new Classifier(Backbone(name), Heads.Create(head, FeatureWidths[name], numClasses));
        return inChannels == 3 ? net : new InputAdapter(inChannels, net);
    }

    /// <summary>
    /// The features mode (timm's num_classes=0): the backbone up to its pooled, flattened features,
    /// <see cref="FeatureWidth"/> values per image, for embeddings, nearest-neighbour search or a head of one's own.
    /// </summary>
    public static Module<Tensor, Tensor> Features(string name, int inChannels = 3)
    {
        var net = Backbone(name);
        return inChannels == 3 ? net : new InputAdapter(inChannels, net);
    }

    /// <summary>Pooled feature width of a registered backbone.</summary>
    public static long FeatureWidth(string name)
    {
        Known(name);
        return FeatureWidths[name];
    }

    /// <summary>The builder of a registered model, or a config error with a "did you mean".</summary>
    private static Func<int, Module<Tensor, Tensor>> Known(string name)
    {
        if (Builders.TryGetValue(name, out var build)) return build;
        var hint = Config.ConfigLoader.Suggest(name, Builders.Keys);
        throw new ConfigException($"model.name: unknown model '{name}'" + (hint is null ? $" (known: {string.Join(", ", Builders.Keys)})" : $" (did you mean '{hint}'?)"));
    }

    /// <summary>Everything of TorchVision's model up to the classifier, then flatten (ResNets end in avgpool + fc, MobileNets in classifier).</summary>
    private static Module<Tensor, Tensor> Backbone(string name)
    {
        var full = Create(name, 2, 3); // validates the name; its 2-class head is dropped
        var children = full.named_children().ToList();
        var layers = children.Where(c => c.name is not ("fc" or "classifier")).Select(c => (c.name, (Module<Tensor, Tensor>)c.module)).ToList();
        if (name == "mobilenet_v2") layers.Add(("avgpool", AdaptiveAvgPool2d(1)));
        if (!layers.Any(l => l.name == "flatten")) layers.Add(("flatten", Flatten()));
        foreach (var dropped in children.Where(c => c.name is "fc" or "classifier")) dropped.module.Dispose();
        return Sequential(layers);
    }

    /// <summary>Creates a classifier for images of <paramref name="inChannels"/> channels.</summary>
    public static Module<Tensor, Tensor> Create(string name, int numClasses, int inChannels = 3)
    {
        var build = Known(name);
        if (numClasses < 2) throw new PodiumException($"a classifier needs at least 2 classes, the data has {numClasses}");
        var net = build(numClasses);
        return inChannels == 3 ? net : new InputAdapter(inChannels, net);
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

/// <summary>
/// Feeds C-channel images to an RGB network. Grayscale is repeated to three channels, which is
/// exactly timm's summed-weight adaptation of the first conv; other counts use a learned 1x1 conv.
/// </summary>
public sealed class InputAdapter : Module<Tensor, Tensor>
{
    private readonly int _inChannels;
    private readonly Module<Tensor, Tensor>? _project;
    private readonly Module<Tensor, Tensor> net;

    public InputAdapter(int inChannels, Module<Tensor, Tensor> network) : base(nameof(InputAdapter))
    {
        _inChannels = inChannels;
        net = network;
        if (inChannels != 1) _project = Conv2d(inChannels, 3, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => net.forward(_inChannels == 1 ? x.expand(-1, 3, -1, -1) : _project!.forward(x));
}
