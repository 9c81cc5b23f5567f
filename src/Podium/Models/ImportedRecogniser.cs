using Onnx;
using Podium.Models.Onnx;
using Podium.Models.Weights;
using static TorchSharp.torch;

namespace Podium.Models;

/// <summary>
/// A CTC recogniser imported from ONNX (PaddleOCR's PP-OCRv4: <c>model.pretrained: ppocrv4-rec</c>, or <c>onnx:PATH</c>) made
/// trainable: the graph up to its final softmax gives the logits, its stem turned to read RGB where the network was trained on
/// BGR. For another character set than the network's, the last linear layer (MatMul + Add before the softmax) is replaced by a
/// fresh one over the same features.
/// </summary>
public sealed class ImportedRecogniser : nn.Module<Tensor, Tensor>
{
    /// <summary>Input columns per CTC step of PaddleOCR's recognisers.</summary>
    public const int Stride = 8;

    private readonly OnnxNetwork net;
    private readonly nn.Module<Tensor, Tensor>? fc;

    /// <summary>Where the network came from, for the log.</summary>
    public string Source { get; }

    /// <summary>Whether the network's own last layer was replaced for another character set.</summary>
    public bool NewHead => fc is not null;

    private ImportedRecogniser(OnnxNetwork network, string source, nn.Module<Tensor, Tensor>? head) : base(nameof(ImportedRecogniser))
    {
        net = network;
        Source = source;
        fc = head;
        RegisterComponents();
    }

    /// <summary>The recogniser <paramref name="spec"/> names (a weights name once fetched, onnx:PATH or PATH.onnx) with
    /// <paramref name="classes"/> outputs.</summary>
    public static ImportedRecogniser Load(string spec, int classes)
    {
        var (path, bgr) = Pretrained.OnnxFile(spec);
        var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph;
        var softmax = graph.Node.LastOrDefault(n => n.OpType == "Softmax" && graph.Output.Any(o => o.Name == n.Output[0]))
            ?? throw new PodiumException($"{spec}: not a CTC recogniser (its output is not a softmax over characters)");
        var network = OnnxNetwork.Load(path, cut: softmax.Input[0]);
        var (features, weight) = LastLayer(network);
        nn.Module<Tensor, Tensor>? head = null;
        if (weight.shape[1] != classes)
        {
            // Up to the features only: the old layer would run for nothing.
            network = OnnxNetwork.Load(path, cut: features);
            head = nn.Linear(weight.shape[0], classes);
        }
        if (bgr) network.ReverseInputChannels();
        return new ImportedRecogniser(network, spec, head);
    }

    /// <summary>The characters a named recogniser reads (its keys file, PaddleOCR's use_space_char adding the space), or null for a
    /// file, whose characters the config must give.</summary>
    public static string? KeysFile(string spec) =>
        WeightsCatalog.Find(spec) is { } w ? WeightsStore.FilePath(w, w.Files.Single(f => f.Path.EndsWith(".txt",
            StringComparison.Ordinal)).Path) : null;

    public override Tensor forward(Tensor x)
    {
        if (fc is null) return net.forward(x);
        using var scope = NewDisposeScope();
        return fc.call(net.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>The input of the logits' linear layer and its [features, classes] weight: the logits are Add(MatMul(input, W),
    /// b).</summary>
    private static (string Features, Tensor Weight) LastLayer(OnnxNetwork network)
    {
        var producers = network.Producers;
        var weights = network.Weights;
        if (producers.TryGetValue(network.OutputName, out var add) && add.OpType == "Add"
            && add.Input.Select(i => producers.GetValueOrDefault(i)).FirstOrDefault(n => n?.OpType == "MatMul") is { } matmul
            && weights.TryGetValue(matmul.Input[1], out var w) && w.dim() == 2)
            return (matmul.Input[0], w);
        throw new PodiumException($"{network.Source}: the logits do not come from a linear layer (MatMul + Add), so its classes " +
            "cannot be replaced");
    }
}
