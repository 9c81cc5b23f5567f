using System.Collections;
using Podium.Models.Onnx;
using Podium.Models.Weights;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Podium.Models;

/// <summary>
/// Pretrained weights from the files people have: PyTorch .pth/.pt state dicts (torchvision and timm
/// key names; a checkpoint dict holding "state_dict" or "model"; "module." prefixes from
/// DataParallel) and .safetensors. A .pth is scanned first by <see cref="PickleGuard"/> and refused if
/// its pickle imports anything but tensor rebuilding; TorchSharp.PyBridge then rebuilds the tensors.
/// Keys map onto Podium's models by name, ignoring the wrappers Podium adds ("net." for non-RGB
/// input, "backbone."/"head." for configured heads); a head whose shape differs (other classes)
/// keeps its fresh initialisation and is reported. ONNX files (<c>onnx:PATH</c> or a .onnx path) and the named weights of
/// <see cref="WeightsCatalog"/> load when the graph is an architecture Podium has (<see cref="OnnxResNet"/>).
/// </summary>
public static class Pretrained
{
    public const string OnnxPrefix = Config.ModelConfig.OnnxPrefix;

    /// <summary>Whether <paramref name="spec"/> names an ONNX model (onnx:PATH or PATH.onnx).</summary>
    public static bool IsOnnx(string spec) => spec.StartsWith(OnnxPrefix, StringComparison.Ordinal)
        || spec.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        if (IsOnnx(path)) return ReadOnnx(OnnxFile(path).Path, bgr: false, modelName: null);
        if (!File.Exists(path)) throw new PodiumException($"{path}: pretrained weights not found");
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            SafetensorsCheck.Check(path);
            try { return Safetensors.LoadStateDict(path); }
            catch (Exception e) when (e is not PodiumException)
            {
                throw new PodiumException($"{path}: cannot read the safetensors file ({e.Message.Split('\n')[0]})");
            }
        }
        PickleGuard.Check(path);
        Hashtable table;
        try { table = PyTorchUnpickler.UnpickleStateDict(path); }
        catch (Exception e) when (e is not PodiumException)
        {
            throw new PodiumException($"{path}: cannot read the checkpoint " +
            $"({e.Message.Split('\n')[0]})");
        }
        // A training checkpoint wraps the weights: {"state_dict": ...} or {"model": ...}.
        foreach (var key in new[] { "state_dict", "model", "model_state_dict", "module" })
            if (table[key] is Hashtable inner) { table = inner; break; }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in table)
            if (e.Value is Tensor t) result[Normalize((string)e.Key)] = t;
        if (result.Count == 0) throw new PodiumException($"{path}: holds no tensors");
        return result;
    }

    /// <summary>An ONNX ResNet's weights under TorchVision's names; one line when the graph is not one Podium maps, or its block
    /// counts are not those of <paramref name="modelName"/>.</summary>
    private static Dictionary<string, Tensor> ReadOnnx(string path, bool bgr, string? modelName)
    {
        using var network = OnnxNetwork.Load(path);
        if (bgr) network.ReverseInputChannels();
        var mapped = OnnxResNet.Map(network) ?? throw new PodiumException($"{path}: Podium loads ONNX graphs of a ResNet " +
            "of basic blocks into its registry models; this graph is not one");
        var architecture = ResNetNames.GetValueOrDefault(string.Join(",", mapped.Blocks));
        if (modelName is not null && architecture != modelName)
            throw new PodiumException($"{path}: a ResNet of [{string.Join(", ", mapped.Blocks)}] basic blocks per stage, not " +
                $"{modelName}; " + (architecture is null ? "no registry model has that layout" : $"set model.name: {architecture}"));
        using (no_grad())
            return mapped.StateDict.ToDictionary(e => e.Key, e => e.Value.detach().clone(), StringComparer.Ordinal);
    }

    /// <summary>The registry ResNets of basic blocks by their blocks per stage.</summary>
    private static readonly Dictionary<string, string> ResNetNames = new()
    {
        ["2,2,2,2"] = "resnet18",
        ["3,4,6,3"] = "resnet34",
        ["2,2,2,3"] = "resnet18_mlnet",
    };

    /// <summary>
    /// Copies matching tensors into the model (no grad); the report says what did not match. With the
    /// model's registry name, torchvision's names for Podium's own families are read as timm's.
    /// </summary>
    /// <param name="spec">A .pth/.pt/.safetensors file, an ONNX model (onnx:PATH or PATH.onnx), hf-hub:ORG/NAME, a name of
    /// <see cref="WeightsCatalog"/> once fetched, or a Podium run (its folder or a checkpoint in it).</param>
    /// <param name="log">Where a hub download reports.</param>
    public static LoadReport Load(nn.Module model, string spec, string? modelName = null, Action<string>? log = null) =>
        RunCheckpoint.Locate(spec) is { } checkpoint ? Load(model, RunCheckpoint.Read(checkpoint), modelName: null) // Podium's own names
            : Load(model, Read(spec, modelName, log ?? (_ => { })), modelName);

    /// <summary>Copies the matching tensors of <paramref name="source"/> (a state dict, disposed after) into the model.</summary>
    public static LoadReport Load(nn.Module model, Dictionary<string, Tensor> source, string? modelName)
    {
        if (modelName is not null)
            source = source.ToDictionary(e => TorchvisionNames.ToTimm(modelName, e.Key), e => e.Value, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        var mismatched = new List<string>();
        int loaded = 0;
        using (no_grad())
        {
            foreach (var (name, target) in model.state_dict())
            {
                var key = Normalize(name);
                if (!source.TryGetValue(key, out var tensor)) { missing.Add(name); continue; }
                used.Add(key);
                using var fitted = Fit(key, tensor, target);
                if (fitted is null) { mismatched.Add($"{name} {Shape(tensor)} vs {Shape(target)}"); continue; }
                target.copy_(fitted.to(target.dtype));
                loaded++;
            }
        }
        foreach (var t in source.Values) t.Dispose();
        return new LoadReport(loaded, missing, source.Keys.Where(k => !used.Contains(k)).ToList(), mismatched);
    }

    /// <summary>
    /// The source tensor in the target's shape, or null when it cannot be: shapes that differ only by
    /// singleton dimensions are reshaped (a linear layer's [O, I] into a 1x1 conv's [O, I, 1, 1], layer
    /// scales stored as [C, 1, 1]; timm's ConvNeXt filter does the same), and ViT position embeddings
    /// made for another image size are resampled to this model's grid.
    /// </summary>
    private static Tensor? Fit(string key, Tensor source, Tensor target)
    {
        if (source.shape.SequenceEqual(target.shape)) return source.alias();
        if (source.numel() == target.numel() && source.shape.Where(d => d != 1).SequenceEqual(target.shape.Where(d => d != 1)))
            return source.reshape(target.shape);
        if (key.EndsWith("pos_embed",
            StringComparison.Ordinal) && source.dim() == 3 && target.dim() == 3 && source.shape[2] == target.shape[2])
        {
            long side = (long)Math.Round(Math.Sqrt(target.shape[1] - 1));
            if (side * side == target.shape[1] - 1) return Models.VisionTransformer.PositionEmbedding(source, side, side);
        }
        return null;
    }

    /// <summary>The ONNX file a spec names (a weights name once fetched, onnx:PATH or PATH.onnx) and whether its network reads
    /// BGR images (as the weights catalog says; false for a file).</summary>
    /// <param name="key">The config key it came from, for the line an unknown name gets.</param>
    public static (string Path, bool Bgr) OnnxFile(string spec, string key = "model.pretrained")
    {
        if (WeightsCatalog.Find(spec) is { } named) return (WeightsStore.Locate(named, key: key), named.Bgr);
        CheckFileOrName(spec, key);
        return (spec.StartsWith(OnnxPrefix, StringComparison.Ordinal) ? spec[OnnxPrefix.Length..] : spec, false);
    }

    /// <summary>A spec written as a weights name (no slash, dot or colon) that is no file either is one line with the nearest
    /// known name.</summary>
    private static void CheckFileOrName(string spec, string key)
    {
        if (!File.Exists(spec) && Config.ModelConfig.IsWeightsName(spec))
            throw new PodiumException($"{key}: '{spec}' is neither a file nor a known weights name " +
                $"{Config.ConfigLoader.OneOfHint(spec, [.. WeightsCatalog.Names])}");
    }

    private static Dictionary<string, Tensor> Read(string spec, string? modelName, Action<string> log)
    {
        if (spec.StartsWith(HubDownload.Prefix, StringComparison.Ordinal)) return ReadStateDict(HubDownload.Resolve(spec, log));
        var named = WeightsCatalog.Find(spec);
        if (named is not null)
        {
            if (named.IsWholeNetwork)
                throw new PodiumException($"model.pretrained: {named.Name} is a whole network ({named.Description}), not weights for " +
                    $"a classifier backbone");
            if (modelName is not null && modelName != named.Architecture)
                throw new PodiumException($"model.pretrained: {named.Name} is weights for {named.Architecture}, not {modelName}; " +
                    $"set model.name: {named.Architecture}");
        }
        if (named is not null || IsOnnx(spec))
        {
            var (path, bgr) = OnnxFile(spec);
            return ReadOnnx(path, bgr, modelName);
        }
        CheckFileOrName(spec, "model.pretrained");
        return ReadStateDict(spec);
    }

    private static string Shape(Tensor t) => "[" + string.Join("x", t.shape) + "]";

    /// <summary>A parameter name without the prefixes that wrappers add (DataParallel's module., Podium's net., backbone. and
    /// head.).</summary>
    public static string Normalize(string name)
    {
        foreach (var prefix in new[] { "module.", "net.", "backbone.", "model." })
            while (name.StartsWith(prefix, StringComparison.Ordinal)) name = name[prefix.Length..];
        return name;
    }
}
