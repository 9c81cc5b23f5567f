using Podium.Config;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// timm-style registry: <c>ModelRegistry.Create("resnet18", numClasses, inChannels)</c>. Each family registers its options record
/// (<see cref="BackboneOptions"/>) under its variants' names: ResNets and MobileNets from TorchVision for .NET
/// (<see cref="TorchVisionModels"/>); EfficientNet, ConvNeXt, ViT and CoAtNet are Podium's own, named as timm names them. Every
/// model has a features mode and takes any head; Podium adds the input adapter for non-RGB images.
/// </summary>
public static class ModelRegistry
{
    public static readonly ComponentRegistry<BackboneOptions> Registry = new("model", "resnet18");

    public static IReadOnlyCollection<string> Names => Registry.Names;

    /// <summary>True for Podium's own families (stochastic depth and classifier dropout are theirs); false for TorchVision's or unknown
    /// names.</summary>
    public static bool IsOwn(string name) =>
        Names.Contains(name) && typeof(OwnBackboneOptions).IsAssignableFrom(Registry.OptionsType(name, "model"));

    /// <summary>The model section's options: bound at resolve, or now from its keys (the family's defaults where none are
    /// given).</summary>
    public static BackboneOptions Options(ModelConfig model) => (BackboneOptions)(model.Options ?? Bind(model).Options!);

    /// <summary>The model section with its family's options bound; a key no part of the section knows is refused with the nearest
    /// one, and drop_path/drop_rate on a TorchVision model say where they apply.</summary>
    public static ModelConfig Bind(ModelConfig model)
    {
        if (model.Options is not null) return model; // bound already (a task's own models: recognisers)
        // The name first: unknown ones fail as model.name.
        var own = OptionRules.Properties(Registry.OptionsType(model.Name, "model")).Select(p => p.Key).ToList();
        var given = model.Parameters.Where(p => !Unset(p.Key, p.Value)).ToDictionary();
        foreach (var key in given.Keys.Where(k => !own.Contains(k)))
        {
            if (key is "drop_path" or "drop_rate" && !IsOwn(model.Name))
                throw new ConfigException($"model.{key}: applies to Podium's own backbones ({OwnFamilies()}), not TorchVision's " +
                    $"{model.Name}; use model.head.dropout for its head");
            throw new ConfigException($"model: unknown key '{key}'{ConfigLoader.KnownHint(key, ModelConfigYaml.SharedKeys.Concat(own))}");
        }
        return model with { Options = Registry.Bind(new ComponentConfig(model.Name) { Parameters = given }, "model").Options };
    }

    /// <summary>Podium's own families as a user would spell them: efficientnet_*, or a family's one name.</summary>
    private static string OwnFamilies() => string.Join(", ", Names.Where(IsOwn).GroupBy(n => Registry.OptionsType(n, "model"))
        .Select(g => g.Count() == 1 ? g.First() : g.First().Split('_')[0] + "_*").Order(StringComparer.Ordinal));

    /// <summary>A key that asks for nothing: no value, or a drop_path of 0 (every saved config before the families had options
    /// wrote <c>drop_path: 0</c> and an empty <c>drop_rate</c>, TorchVision models included).</summary>
    private static bool Unset(string key, object? value) => value is null or "" || key == "drop_path" && value is string s
        && double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var d) && d == 0;

    /// <summary>A regex on parameter names that matches the model's classification head (the rest is the backbone).</summary>
    public static string HeadPattern(string name) => @"(^|\.)head\.|(^|\.)" + Family(name, null).Classifier(name) + @"\.";

    /// <summary>Creates a classifier for images of <paramref name="inChannels"/> channels, with the model's own head or a configured
    /// one.</summary>
    /// <param name="options">The family's options (<c>new EfficientNet.Options { DropPath = 0.1 }</c>); null: its defaults.</param>
    /// <param name="imgSize">The training image size (ViT and CoAtNet size their position tables for it).</param>
    public static Module<Tensor, Tensor> Create(string name, int numClasses, int inChannels, HeadOptions? head,
        BackboneOptions? options = null, int imgSize = 224)
    {
        if (head is null or Heads.LinearOptions { Dropout: 0 }) return Create(name, numClasses, inChannels, options, imgSize);
        var family = Family(name, options);
        var net = new Classifier(family.Features(name, imgSize), head.Build(family.FeatureWidth(name), numClasses));
        return inChannels == 3 ? net : new InputAdapter(inChannels, net);
    }

    /// <summary>Creates a classifier for images of <paramref name="inChannels"/> channels.</summary>
    public static Module<Tensor, Tensor> Create(string name, int numClasses, int inChannels = 3, BackboneOptions? options = null,
        int imgSize = 224)
    {
        var family = Family(name, options);
        if (numClasses < 2) throw new PodiumException($"a classifier needs at least 2 classes, the data has {numClasses}");
        var net = family.Build(name, numClasses, imgSize);
        return inChannels == 3 ? net : new InputAdapter(inChannels, net);
    }

    /// <summary>
    /// The features mode (timm's num_classes=0): the backbone up to its pooled, flattened features,
    /// <see cref="FeatureWidth"/> values per image, for embeddings, nearest-neighbour search or a head of one's own.
    /// </summary>
    public static Module<Tensor, Tensor> Features(string name, int inChannels = 3, BackboneOptions? options = null, int imgSize = 224)
    {
        var net = Family(name, options).Features(name, imgSize);
        return inChannels == 3 ? net : new InputAdapter(inChannels, net);
    }

    /// <summary>Pooled feature width of a registered backbone.</summary>
    public static long FeatureWidth(string name) => Family(name, null).FeatureWidth(name);

    /// <summary>The options the model is built with: <paramref name="options"/> (checked to be of the name's family and against its
    /// rules) or the family's defaults; an unknown name is a config error with a "did you mean".</summary>
    private static BackboneOptions Family(string name, BackboneOptions? options)
    {
        var defaults = Registry.Defaults(name, "model");
        if (options is null) return defaults;
        if (options.GetType() != defaults.GetType())
            throw new ArgumentException($"{name} takes {defaults.GetType().FullName}, not {options.GetType().FullName}", nameof(options));
        try { return OptionRules.Check(options); }
        catch (ConfigException e) { throw new ConfigException($"model: {e.Message}"); }
    }
}
