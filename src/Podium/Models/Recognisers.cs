using Podium.Config;
using Podium.Models.Weights;
using static TorchSharp.torch;

namespace Podium.Models;

/// <summary>The line recognisers by name (crnn, svtr_tiny), and the network a text_recognition config asks for: a registered one, or
/// an imported ONNX recogniser (<c>model.pretrained: ppocrv4-rec</c> or an ONNX file) that brings its own weights and characters.</summary>
public static class Recognisers
{
    public static readonly ComponentRegistry<RecogniserOptions> Registry = new("recogniser", "crnn");

    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>Whether model.pretrained names a whole recogniser to import: the weights catalog's, or an ONNX file.</summary>
    public static bool Imports(string? spec) => spec is not null
        && (WeightsCatalog.Find(spec) is { } w ? w.Architecture == WeightsCatalog.WholeRecogniser : Pretrained.IsOnnx(spec));

    /// <summary>The untrained (or imported) network of a resolved config for <paramref name="classes"/> classes.</summary>
    public static nn.Module<Tensor, Tensor> Create(PodiumConfig config, int classes)
    {
        var height = config.Rec?.Height ?? throw new InvalidOperationException("a text-recognition config has a rec section");
        if (Imports(config.Model.Pretrained)) return ImportedRecogniser.Load(config.Model.Pretrained!, classes);
        return Options(config.Model).Build(classes, config.Data.Channels, height);
    }

    /// <summary>Input columns per CTC step of the config's network.</summary>
    public static int Stride(PodiumConfig config) =>
        Imports(config.Model.Pretrained) ? ImportedRecogniser.Stride : Options(config.Model).Stride;

    /// <summary>The model section's recogniser options, bound at resolve (or now, from its keys).</summary>
    public static RecogniserOptions Options(ModelConfig model) => model.Options as RecogniserOptions
        ?? (RecogniserOptions)Registry.Bind(new ComponentConfig(model.Name) { Parameters = model.Parameters }, "model").Options!;
}
