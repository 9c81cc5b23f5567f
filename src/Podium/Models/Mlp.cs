using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>Two-layer perceptron of transformer blocks (timm's Mlp: fc1, GELU, fc2).</summary>
public sealed class Mlp : Module<Tensor, Tensor>, Onnx.IOnnxExportable
{
    private readonly Module<Tensor, Tensor> fc1;
    private readonly Module<Tensor, Tensor> fc2;

    public Mlp(long features, long hidden, long outFeatures = 0, bool convolutional = false) : base(nameof(Mlp))
    {
        if (outFeatures == 0) outFeatures = features;
        // timm's ConvMlp (ConvNeXt atto/nano) is the same arithmetic on NCHW maps with 1x1 convolutions.
        fc1 = convolutional ? Conv2d(features, hidden, 1) : Linear(features, hidden);
        fc2 = convolutional ? Conv2d(hidden, outFeatures, 1) : Linear(hidden, outFeatures);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return fc2.forward(functional.gelu(fc1.forward(x))).MoveToOuterDisposeScope();
    }

    public string ToOnnx(Onnx.OnnxGraph g, string x) => g.Module(fc2, g.Gelu(g.Module(fc1, x)));
}
