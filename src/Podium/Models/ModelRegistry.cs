using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// timm-style registry: <c>ModelRegistry.Create("resnet18", numClasses, inChannels)</c>. ResNets and
/// MobileNets come from TorchVision for .NET; EfficientNet, ConvNeXt, ViT and CoAtNet are Podium's own,
/// named as timm names them. Every model has a features mode and takes any head; Podium adds the input
/// adapter for non-RGB images.
/// </summary>
public static class ModelRegistry
{
    /// <summary>A registered model: its builder (0 classes: the features mode), pooled feature width and classifier prefix.</summary>
    private sealed record Entry(Func<int, ModelOptions, Module<Tensor, Tensor>> Build, long FeatureWidth, string Classifier,
        bool Own = true);

    /// <summary>A TorchVision model, its residual blocks rewired to add with kept-alive Scalars (<see
    /// cref="TorchVisionRewire"/>).</summary>
    private static Entry Vision(Func<int, Module<Tensor, Tensor>> build, long width, string classifier) =>
        new((n, _) => TorchVisionRewire.Apply(build(n)), width, classifier, Own: false);

    private static readonly Dictionary<string, Entry> Entries = BuildEntries();

    private static Dictionary<string, Entry> BuildEntries()
    {
        var e = new Dictionary<string, Entry>
        {
            ["resnet18"] = Vision(n => torchvision.models.resnet18(num_classes: n), 512, "fc"),
            ["resnet34"] = Vision(n => torchvision.models.resnet34(num_classes: n), 512, "fc"),
            ["resnet50"] = Vision(n => torchvision.models.resnet50(num_classes: n), 2048, "fc"),
            ["resnet101"] = Vision(n => torchvision.models.resnet101(num_classes: n), 2048, "fc"),
            ["resnext50_32x4d"] = Vision(n => torchvision.models.resnext50_32x4d(num_classes: n), 2048, "fc"),
            ["wide_resnet50_2"] = Vision(n => torchvision.models.wide_resnet50_2(num_classes: n), 2048, "fc"),
            ["mobilenet_v2"] = Vision(n => torchvision.models.mobilenet_v2(num_classes: n), 1280, "classifier"),
            ["mobilenet_v3_small"] = Vision(n => MobileNetV3(torchvision.models.mobilenet_v3_small(), 576, 1024, n), 576, "classifier"),
            ["mobilenet_v3_large"] = Vision(n => MobileNetV3(torchvision.models.mobilenet_v3_large(), 960, 1280, n), 960, "classifier"),
        };
        foreach (var v in EfficientNet.Variants.Keys)
            e[v] = new((n, o) => new EfficientNet(v, n, o.DropPath, o.DropRate), EfficientNet.RoundChannels(1280,
                EfficientNet.Variants[v].Width), "classifier");
        foreach (var (v, arch) in ConvNeXt.Variants)
            e[v] = new((n, o) => new ConvNeXt(v, n, o.DropPath, o.DropRate), arch.Dims[^1], "head");
        foreach (var (v, arch) in VisionTransformer.Variants)
            e[v] = new((n, o) => new VisionTransformer(v, n, o.ImgSize, o.DropPath, o.DropRate), arch.Dim, "head");
        e["coatnet_0"] = new((n, o) => new CoAtNet(n, o.ImgSize, o.DropPath, o.DropRate), 768, "head");
        return e;
    }

    public static IReadOnlyCollection<string> Names => Entries.Keys;

    /// <summary>True for Podium's own families (stochastic depth and classifier dropout are theirs); false for TorchVision's or unknown
    /// names.</summary>
    public static bool IsOwn(string name) => Entries.TryGetValue(name, out var e) && e.Own;

    /// <summary>A regex on parameter names that matches the model's classification head (the rest is the backbone).</summary>
    public static string HeadPattern(string name) => @"(^|\.)head\.|(^|\.)" + Known(name).Classifier + @"\.";

    /// <summary>Creates a classifier for images of <paramref name="inChannels"/> channels, with the model's own head or a configured
    /// one.</summary>
    public static Module<Tensor, Tensor> Create(string name, int numClasses, int inChannels, HeadOptions? head,
        ModelOptions? options = null)
    {
        if (head is null or Heads.LinearOptions { Dropout: 0 }) return Create(name, numClasses, inChannels, options);
        var net = new Classifier(Backbone(name, options ?? new()), head.Build(FeatureWidth(name), numClasses));
        return inChannels == 3 ? net : new InputAdapter(inChannels, net);
    }

    /// <summary>
    /// The features mode (timm's num_classes=0): the backbone up to its pooled, flattened features,
    /// <see cref="FeatureWidth"/> values per image, for embeddings, nearest-neighbour search or a head of one's own.
    /// </summary>
    public static Module<Tensor, Tensor> Features(string name, int inChannels = 3, ModelOptions? options = null)
    {
        var net = Backbone(name, options ?? new());
        return inChannels == 3 ? net : new InputAdapter(inChannels, net);
    }

    /// <summary>Pooled feature width of a registered backbone.</summary>
    public static long FeatureWidth(string name) => Known(name).FeatureWidth;

    /// <summary>The entry of a registered model, or a config error with a "did you mean".</summary>
    private static Entry Known(string name)
    {
        if (Entries.TryGetValue(name, out var entry)) return entry;
        throw new ConfigException($"model.name: unknown model '{name}'{Config.ConfigLoader.KnownHint(name, Entries.Keys)}");
    }

    /// <summary>
    /// The backbone up to pooled, flattened features. Podium's own models build without a classifier;
    /// TorchVision's are cut before theirs (ResNets end in avgpool + fc, MobileNets in classifier).
    /// </summary>
    private static Module<Tensor, Tensor> Backbone(string name, ModelOptions options)
    {
        var entry = Known(name);
        if (entry.Own) return entry.Build(0, options);
        var full = entry.Build(2, options); // its 2-class head is dropped
        var children = full.named_children().ToList();
        var layers = children.Where(c => c.name is not ("fc" or "classifier")).Select(c => (c.name, (Module<Tensor,
            Tensor>)c.module)).ToList();
        if (name == "mobilenet_v2") layers.Add(("avgpool", AdaptiveAvgPool2d(1)));
        if (!layers.Any(l => l.name == "flatten")) layers.Add(("flatten", Flatten()));
        foreach (var dropped in children.Where(c => c.name is "fc" or "classifier")) dropped.module.Dispose();
        return Sequential(layers);
    }

    /// <summary>Creates a classifier for images of <paramref name="inChannels"/> channels.</summary>
    public static Module<Tensor, Tensor> Create(string name, int numClasses, int inChannels = 3, ModelOptions? options = null)
    {
        var entry = Known(name);
        if (numClasses < 2) throw new PodiumException($"a classifier needs at least 2 classes, the data has {numClasses}");
        var net = entry.Build(numClasses, options ?? new());
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
