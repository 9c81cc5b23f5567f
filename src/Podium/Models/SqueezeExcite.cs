using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>Squeeze-and-excitation (timm's names: conv_reduce, conv_expand): channel gates from pooled features.</summary>
public sealed class SqueezeExcite : Module<Tensor, Tensor>, Onnx.IOnnxExportable
{
    private readonly Module<Tensor, Tensor> conv_reduce;
    private readonly Module<Tensor, Tensor> conv_expand;
    private readonly Module<Tensor, Tensor> act;

    public SqueezeExcite(long channels, long reduced, Module<Tensor, Tensor> activation) : base(nameof(SqueezeExcite))
    {
        conv_reduce = Conv2d(channels, reduced, 1);
        conv_expand = Conv2d(reduced, channels, 1);
        act = activation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gate = conv_expand.forward(act.forward(conv_reduce.forward(x.mean([2L, 3L], keepdim: true)))).sigmoid();
        return (x * gate).MoveToOuterDisposeScope();
    }

    public string ToOnnx(Onnx.OnnxGraph g, string x)
    {
        var gate = g.Module(conv_expand, g.Module(act, g.Module(conv_reduce, g.SpatialMean(x, keep: true))));
        return g.Node("Mul", [x, g.Node("Sigmoid", [gate])]);
    }
}
