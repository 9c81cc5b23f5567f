using Podium.Models.Onnx;
using Podium.Models.Weights;
using static TorchSharp.torch;

namespace Podium.Models;

/// <summary>
/// A DBNet imported from ONNX (PaddleOCR's PP-OCRv4 detector: <c>model.pretrained: ppocrv4-det</c>, or <c>onnx:PATH</c>) made
/// trainable as Podium's own: the graph gives the probability map; inference exports drop DB's threshold branch, so a fresh
/// threshold head of DBNet's shape reads the graph's fused features (the input of its probability head, found by following
/// that head back from the output), and training returns the same three maps as <see cref="DbNet"/> for the DB loss.
/// </summary>
public sealed class ImportedDbNet : nn.Module<Tensor, Tensor>
{
    private readonly OnnxNetwork net;
    private readonly nn.Module<Tensor, Tensor> thresh;
    private readonly string _features;
    private readonly double _k;

    /// <summary>Where the network came from, for the log.</summary>
    public string Source { get; }

    private ImportedDbNet(OnnxNetwork network, string source, double k) : base(nameof(ImportedDbNet))
    {
        (_features, var channels) = ProbabilityHeadInput(network);
        net = network;
        thresh = DbNet.Head(channels);
        _k = k;
        Source = source;
        RegisterComponents();
        DbNet.InitialiseNew(thresh);
    }

    /// <summary>Whether model.pretrained names a network this class imports: a detector of the weights catalog or an ONNX file.</summary>
    public static bool Imports(string? spec) => spec is not null
        && (WeightsCatalog.Find(spec) is { } w ? w.Architecture == WeightsCatalog.WholeDetector : Pretrained.IsOnnx(spec));

    /// <summary>Imports the detector <paramref name="spec"/> names (a weights name once fetched, onnx:PATH or PATH.onnx).</summary>
    public static ImportedDbNet Load(string spec, double k = 50)
    {
        var (path, bgr) = Pretrained.OnnxFile(spec);
        var network = OnnxNetwork.Load(path);
        if (bgr) network.ReverseInputChannels();
        return new ImportedDbNet(network, spec, k);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (p, features) = net.Forward(x, _features);
        if (p.dim() != 4 || p.shape[1] != 1)
            throw new PodiumException($"{Source}: the network gives [{string.Join("x", p.shape)}], not one probability map per image");
        if (!training) return p.MoveToOuterDisposeScope();
        return DbNet.TrainingMaps(p, thresh.forward(features), _k).MoveToOuterDisposeScope();
    }

    /// <summary>The value the probability head starts from and its channels: back from the output through the head's Sigmoid,
    /// Add (bias), ConvTranspose, Relu, BatchNormalization and Conv nodes to the first value another kind of node made.</summary>
    private static (string Name, int Channels) ProbabilityHeadInput(OnnxNetwork network)
    {
        var producer = network.Producers;
        var weights = network.Weights;
        string value = network.OutputName;
        global::Onnx.NodeProto? firstConv = null;
        while (producer.TryGetValue(value, out var node) && node.OpType is "Sigmoid" or "Add" or "ConvTranspose" or "Relu"
            or "BatchNormalization" or "Conv")
        {
            if (node.OpType == "Conv") firstConv = node;
            // Add: the branch that is not a stored bias.
            value = node.OpType == "Add" && weights.ContainsKey(node.Input[0]) ? node.Input[1] : node.Input[0];
        }
        if (firstConv is null || !weights.TryGetValue(firstConv.Input[1], out var w))
            throw new PodiumException($"{network.Source}: not a DBNet detector (its output is not a convolution head's probability map)");
        return (value, (int)w.shape[1]);
    }
}
