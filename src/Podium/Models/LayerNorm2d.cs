using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>LayerNorm over the channels of an NCHW map (timm's LayerNorm2d: permute, normalise, permute back).</summary>
public sealed class LayerNorm2d : Module<Tensor, Tensor>, Onnx.IOnnxExportable
{
    private readonly TorchSharp.Modules.Parameter weight;
    private readonly TorchSharp.Modules.Parameter bias;
    private readonly double _eps;
    private readonly long[] _shape;

    public LayerNorm2d(long channels, double eps = 1e-6) : base(nameof(LayerNorm2d))
    {
        weight = Parameter(ones(channels));
        bias = Parameter(zeros(channels));
        (_eps, _shape) = (eps, [channels]);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.layer_norm(x.permute(0, 2, 3, 1), _shape, weight, bias, _eps).permute(0, 3, 1, 2);
        return y.MoveToOuterDisposeScope();
    }

    public string ToOnnx(Onnx.OnnxGraph g, string x) => g.LayerNorm(x, weight, bias, _eps, axis: 1);
}
