using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// Feeds C-channel images to an RGB network. Grayscale is repeated to three channels, which is
/// exactly timm's summed-weight adaptation of the first conv; other counts use a learned 1x1 conv.
/// </summary>
public sealed class InputAdapter : Module<Tensor, Tensor>, Onnx.IOnnxExportable
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

    /// <summary>The RGB network behind the adapter.</summary>
    public Module<Tensor, Tensor> Network => net;

    /// <summary>C-channel images as the three channels the network takes.</summary>
    public Tensor Adapt(Tensor x) => _inChannels == 1 ? x.expand(-1, 3, -1, -1) : _project!.forward(x);

    public override Tensor forward(Tensor x) => net.forward(Adapt(x));

    public string ToOnnx(Onnx.OnnxGraph g, string x) => g.Module(net, _inChannels == 1
        ? g.Node("Concat", [x, x, x], Onnx.OnnxGraph.Attr("axis", 1L)) : g.Module(_project!, x));
}
