using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// The classifier end of ConvNeXt-style networks (timm's NormMlpClassifierHead, names head.norm and
/// head.fc): global average pool, LayerNorm, dropout, linear. With no classes it ends at the normalised
/// pooled features (the features mode).
/// </summary>
public sealed class NormPoolHead : Module<Tensor, Tensor>, Onnx.IOnnxExportable
{
    private readonly Module<Tensor, Tensor> norm;
    private readonly Module<Tensor, Tensor> drop;
    private readonly Module<Tensor, Tensor> fc;

    public NormPoolHead(long features, int classes, double dropRate) : base(nameof(NormPoolHead))
    {
        norm = new LayerNorm2d(features);
        drop = Dropout(dropRate);
        fc = classes > 0 ? Linear(features, classes) : Identity();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pooled = norm.forward(x.mean([2L, 3L], keepdim: true)).flatten(1);
        return fc.forward(drop.forward(pooled)).MoveToOuterDisposeScope();
    }

    public string ToOnnx(Onnx.OnnxGraph g, string x) =>
        g.Module(fc, g.Node("Flatten", [g.Module(norm, g.SpatialMean(x, keep: true))], Onnx.OnnxGraph.Attr("axis", 1L)));
}
