using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// A TorchVision MobileNetV2/V3 inverted residual (its layers under their name, "conv" or "block"), adding the input
/// back when the block keeps the shape (stride 1, same channels), as TorchVision decides. See <see cref="TorchVisionRewire"/>.
/// </summary>
internal sealed class InvertedResidualBlock : Module<Tensor, Tensor>, Onnx.IOnnxExportable
{
    private readonly Module<Tensor, Tensor> _layers;
    private readonly bool _v2, _residual;

    public InvertedResidualBlock(Module<Tensor, Tensor> block) : base(block.GetName())
    {
        var (name, original) = block.named_children().Single();
        _layers = TorchVisionRewire.Apply((Module<Tensor, Tensor>)original);
        register_module(name, _layers);
        _v2 = name == "conv";
        // TorchVision's private use_res_connect: stride 1 and as many channels out as in.
        _residual = (bool)(block.GetType().GetField("use_res_connect",
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            ?.GetValue(block) ?? throw new InvalidOperationException($"{block.GetType()}: no use_res_connect"));
    }

    public override Tensor forward(Tensor input)
    {
        if (!_residual) return _layers.call(input);
        // The same additions as TorchVision's (x + conv(x) in V2, block(x) + x in V3), with a kept alpha.
        return _v2 ? input.add(_layers.call(input), Platform.Scalars.One) : _layers.call(input).add(input, Platform.Scalars.One);
    }

    public string ToOnnx(Onnx.OnnxGraph g, string input)
    {
        var y = g.Module(_layers, input);
        return _residual ? g.Node("Add", [y, input]) : y;
    }
}
