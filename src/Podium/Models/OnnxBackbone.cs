using Podium.Config;
using Podium.Models.Onnx;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// Any ONNX graph as a classification backbone (<c>model.name: onnx</c>): the graph is imported trainable and cut at a named
/// value (its output by default); image-shaped features are average-pooled, token sequences averaged, and a head of Podium's
/// goes on them, so freezing, heads, gradual unfreezing and the features mode work as for the registry's own models. The
/// graph's weights are the starting point.
/// </summary>
public sealed class OnnxBackbone : Module<Tensor, Tensor>
{
    /// <summary>model.name onnx: <c>file</c> (a path, onnx:PATH or a weights name of <c>podium weights list</c>), <c>features</c>
    /// (the value to cut at) and <c>bgr</c>.</summary>
    [Component("onnx")]
    public sealed record Options : BackboneOptions
    {
        /// <summary>The ONNX model: a path (anchored at the config's folder) or a fetched weights name.</summary>
        public string? File { get; init; }

        /// <summary>The graph value the features are read from (a node output); null: the graph's output.</summary>
        [Key("features")]
        public string? FeatureValue { get; init; }

        /// <summary>Whether the graph was trained on BGR images (its first convolution's input channels are reversed, so it takes
        /// Podium's RGB); null: as the weights catalog says for a named network, else false.</summary>
        public bool? Bgr { get; init; }

        public override Module<Tensor, Tensor> Build(string name, int classes, int imgSize)
        {
            var backbone = new OnnxBackbone(this, imgSize);
            return classes == 0 ? backbone : new Classifier(backbone, Linear(backbone.FeatureWidth, classes));
        }

        // Asked only when the config names a head of its own: the graph is read once more and run once on a 224 px image.
        public override long FeatureWidth(string name) => new OnnxBackbone(this, 224).FeatureWidth;

        public override string Classifier(string name) => "head";
    }

    private readonly OnnxNetwork graph;

    /// <summary>The width of the pooled features, found by running the cut graph once on an image of the training size.</summary>
    public long FeatureWidth { get; }

    public OnnxBackbone(Options options, int imgSize) : base(nameof(OnnxBackbone))
    {
        if (string.IsNullOrWhiteSpace(options.File))
            throw new ConfigException("model.file: the onnx model family needs its ONNX file (a path or a weights name)");
        var (path, bgr) = Pretrained.OnnxFile(options.File, "model.file");
        graph = OnnxNetwork.Load(path, options.FeatureValue);
        if (options.Bgr ?? bgr) graph.ReverseInputChannels();
        RegisterComponents();
        graph.eval();
        using (no_grad())
        using (var probe = zeros(1, 3, imgSize, imgSize))
        using (var features = forward(probe))
            FeatureWidth = features.shape[1];
        graph.train();
    }

    public override Tensor forward(Tensor x)
    {
        var y = graph.forward(x);
        return y.dim() switch
        {
            2 => y,
            3 => y.mean([1]), // tokens: N x T x C
            4 => y.mean([2, 3]), // N x C x H x W
            _ => throw new PodiumException($"{graph.Source}: the features are [{string.Join("x", y.shape)}]; Podium pools " +
                "N×C×H×W maps or N×T×C tokens"),
        };
    }
}
