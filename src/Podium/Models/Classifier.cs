using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>A backbone that ends in pooled, flattened features, and a head on them.</summary>
public sealed class Classifier : Module<Tensor, Tensor>, Onnx.IOnnxExportable
{
    private readonly Module<Tensor, Tensor> backbone;
    private readonly Module<Tensor, Tensor> head;

    public Classifier(Module<Tensor, Tensor> backbone, Module<Tensor, Tensor> head) : base(nameof(Classifier))
    {
        this.backbone = backbone;
        this.head = head;
        RegisterComponents();
    }

    public Module<Tensor, Tensor> Head => head;

    /// <summary>The pooled backbone features (timm's forward_features + pooling).</summary>
    public Tensor Features(Tensor x) => backbone.forward(x);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return head.forward(backbone.forward(x)).MoveToOuterDisposeScope();
    }

    public string ToOnnx(Onnx.OnnxGraph g, string x) => g.Module(head, g.Module(backbone, x));
}
