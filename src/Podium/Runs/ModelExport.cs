using System.Text.Json;
using Podium.Config;
using Podium.IO;
using Podium.Tasks;
using Podium.Tracking;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Podium.Runs;

/// <summary>
/// A run's model out of Podium (`podium export`): its best checkpoint as an ONNX graph (input "input", N×C×H×W normalised
/// images, any batch; output "logits", or a detector's "maps") or as a safetensors state dict under the names the architecture
/// has elsewhere (torchvision's for the ResNets, timm's for EfficientNet, ConvNeXt and ViT, Podium's own for the rest), beside
/// NAME.json, which says what the network expects: classes, input size and channels, normalisation, names.
/// </summary>
public static class ModelExport
{
    public static readonly string[] Formats = ["onnx", "safetensors"];

    /// <summary>What was written: the model file, its description, and how many tensors under which names.</summary>
    public sealed record Result(string Path, string Description, int Tensors, long Bytes, string Names);

    /// <summary>The description written beside the model (NAME.json).</summary>
    public sealed record Description(string Format, string Task, string Model, string Names, string? Input, string? Output,
        IReadOnlyList<string> Classes, int Channels, int ImgSize, IReadOnlyList<double> Mean, IReadOnlyList<double> Std,
        string Checkpoint, string Podium);

    /// <param name="outPath">The model file; default RUN/export/model.FORMAT.</param>
    public static Result Export(string runPath, string format, string? outPath)
    {
        if (!Formats.Contains(format))
            throw new PodiumException($"--format {format}: one of {string.Join(", ", Formats)}");
        var run = RunDirectory.Open(runPath);
        var config = ConfigLoader.Load(run.Config);
        var task = TaskRegistry.NameFor(config);
        var checkpoint = run.ModelCheckpoint();
        string[] classes;
        nn.Module<Tensor, Tensor> model;
        switch (task)
        {
            case "classification" or "multi_label":
                classes = run.ReadClasses();
                model = Tasks.Classification.ClassificationModels.Create(config, classes.Length);
                break;
            case "text_detection":
                classes = ["text"];
                model = Models.DbNet.Create(config);
                break;
            default:
                throw new PodiumException($"{runPath}: a {task} run; podium export writes classification and text-detection models");
        }
        using var owned = model;
        using var scope = NewDisposeScope();
        model.load(checkpoint);
        model.eval();
        outPath ??= Path.Combine(run.Root, "export", "model." + format);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
        string names, output = task == "text_detection" ? "maps" : "logits";
        int tensors;
        bool onnx = format == "onnx";
        if (onnx)
        {
            names = "onnx";
            // Detectors read pages of any size (multiples of 32); classifiers any batch of the trained size.
            long side = task == "text_detection" ? -1 : config.Data.ImgSize;
            var graph = new Models.Onnx.OnnxGraph();
            var proto = graph.Build("input", [-1, config.Data.Channels, side, side], graph.Module(model, "input"), output);
            tensors = proto.Graph.Initializer.Count;
            AtomicFile.Write(outPath, temp =>
            {
                using var file = File.Create(temp);
                Google.Protobuf.MessageExtensions.WriteTo(proto, file);
            });
        }
        else
        {
            names = NamesOf(config.Model.Name, task);
            var state = StateDict(model);
            tensors = state.Count;
            AtomicFile.Write(outPath, temp => Safetensors.SaveStateDict(temp, state));
        }
        var description = Path.ChangeExtension(outPath, ".json");
        var norm = Augment.Pipelines.Val(config).Normalize;
        AtomicFile.WriteAllText(description, JsonSerializer.Serialize(new Description(format, task, config.Model.Name, names,
            onnx ? "input" : null, onnx ? output : null, classes,
            config.Data.Channels, config.Data.ImgSize, norm.Mean, norm.Std, checkpoint,
            typeof(ModelExport).Assembly.GetName().Version?.ToString(3) ?? "?"), JsonFiles.Options));
        return new Result(outPath, description, tensors, new FileInfo(outPath).Length, names);
    }

    /// <summary>
    /// The model's tensors under their names outside Podium: the wrappers' prefixes (Podium's net. for other channel counts,
    /// backbone.) dropped, as <see cref="Models.Pretrained"/> drops them when it loads such a file; contiguous, on the CPU.
    /// </summary>
    public static Dictionary<string, Tensor> StateDict(nn.Module model)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in model.state_dict())
        {
            var key = Models.Pretrained.Normalize(name);
            if (!result.TryAdd(key, tensor.detach().cpu().contiguous()))
                throw new PodiumException($"two tensors of the model would both be named {key} ({name})");
        }
        return result;
    }

    /// <summary>Whose names the exported tensors carry.</summary>
    public static string NamesOf(string model, string task) => task == "text_detection" ? "podium"
        : model.StartsWith("resnet", StringComparison.Ordinal) && !model.EndsWith("_mlnet", StringComparison.Ordinal) ? "torchvision"
        : model.StartsWith("efficientnet_", StringComparison.Ordinal) || model.StartsWith("convnext_", StringComparison.Ordinal)
            || model.StartsWith("vit_", StringComparison.Ordinal) ? "timm"
        : "podium";
}
