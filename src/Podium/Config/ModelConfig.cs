using YamlDotNet.Serialization;

namespace Podium.Config;

/// <summary>
/// The model section: <c>name</c> picks a registered model family's variant, whose own keys (drop_path, drop_rate for Podium's
/// own backbones) sit beside the keys every model has (pretrained, head, freeze, unfreeze); <see cref="ModelConfigYaml"/> reads
/// and writes them as one flat map.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>model.pretrained: hf-hub:ORG/NAME fetches weights from the Hugging Face hub (on request only).</summary>
    public const string HubPrefix = "hf-hub:";
    /// <summary>model.pretrained: onnx:PATH reads an ONNX model whatever its file name.</summary>
    public const string OnnxPrefix = "onnx:";

    /// <summary>Whether model.pretrained is written as a weights name (no slash, dot or colon), not a path.</summary>
    public static bool IsWeightsName(string spec) => spec.IndexOfAny(['/', '.', ':']) < 0;

    /// <summary>model.pretrained as the path it names, anchored at <paramref name="baseDirectory"/>: a weights name
    /// (resnet18-imagenet: no slash, dot or colon, and no folder there) and hf-hub: stay as written, onnx:PATH keeps its
    /// prefix.</summary>
    public static string? AnchorPretrained(string? spec, string baseDirectory)
    {
        if (string.IsNullOrEmpty(spec) || spec.StartsWith(HubPrefix, StringComparison.Ordinal)
            || IsWeightsName(spec) && !Directory.Exists(Path.Combine(baseDirectory, spec))) return spec; // a run folder is a path
        return spec.StartsWith(OnnxPrefix, StringComparison.Ordinal)
            ? OnnxPrefix + Path.GetFullPath(spec[OnnxPrefix.Length..], baseDirectory) : Path.GetFullPath(spec, baseDirectory);
    }

    public string Name { get; init; } = "resnet18";
    /// <summary>Weights to start from: a PyTorch .pth/.pt state dict (torchvision/timm names), a .safetensors file, an ONNX model
    /// (onnx:PATH or PATH.onnx), hf-hub:ORG/NAME, a named starting point (podium weights list), or a Podium run's folder (a
    /// podium pretrain run's backbone, or any run's network).</summary>
    public string? Pretrained { get; init; }
    /// <summary>Whether every tensor outside the head must load from <see cref="Pretrained"/> (a head for other classes keeps its
    /// fresh weights); false trains on from a partial load, e.g. weights of a related architecture.</summary>
    public bool PretrainedStrict { get; init; } = true;
    /// <summary>The classification head; default: the backbone's own linear layer.</summary>
    public ComponentConfig? Head { get; init; }
    /// <summary>none (fine-tune everything) or backbone (feature extraction: only the head trains, until unfreeze says
    /// otherwise).</summary>
    public string Freeze { get; init; } = "none";
    /// <summary>Gradual unfreezing: from each entry's epoch on, parameters whose names match its pattern train too.</summary>
    public IReadOnlyList<UnfreezeStep> Unfreeze { get; init; } = [];

    /// <summary>The family's own keys as written; bound into <see cref="Options"/> when the config is resolved.</summary>
    [YamlIgnore]
    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();

    /// <summary>The family's options record (a Models.BackboneOptions), once resolved: every default filled.</summary>
    [YamlIgnore]
    public ComponentOptions? Options { get; init; }
}
