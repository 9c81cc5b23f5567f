using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// A TorchVision ResNet BasicBlock or Bottleneck (its own layers, under their names): conv-bn-relu twice or three times,
/// plus the shortcut (downsampled when the shape changes), then ReLU. See <see cref="TorchVisionRewire"/>.
/// </summary>
internal sealed class ResNetBlock : Module<Tensor, Tensor>, Onnx.IOnnxExportable
{
    private readonly Module<Tensor, Tensor>[] _convs, _norms, _relus;
    private readonly Module<Tensor, Tensor>? _downsample;

    public ResNetBlock(Module<Tensor, Tensor> block) : base(block.GetName())
    {
        var children = block.named_children().Select(c => (c.name,
            module: (nn.Module)TorchVisionRewire.Apply((Module<Tensor, Tensor>)c.module))).ToList();
        foreach (var (name, module) in children) register_module(name, module);
        Module<Tensor, Tensor> Child(string name) => (Module<Tensor, Tensor>)children.Single(c => c.name == name).module;
        bool bottleneck = children.Any(c => c.name == "conv3");
        _convs = bottleneck ? [Child("conv1"), Child("conv2"), Child("conv3")] : [Child("conv1"), Child("conv2")];
        _norms = bottleneck ? [Child("bn1"), Child("bn2"), Child("bn3")] : [Child("bn1"), Child("bn2")];
        _relus = bottleneck ? [Child("relu1"), Child("relu2")] : [Child("relu1")];
        _downsample = children.Any(c => c.name == "downsample") ? Child("downsample") : null;
    }

    /// <summary>A BasicBlock built here (TorchSharp's is private to its ResNet): for ResNets of other depths than TorchVision's,
    /// such as ML.NET's ResNet-18 with 3 blocks in its last stage. Same layers and names as TorchVision's.</summary>
    public static Module<Tensor, Tensor> Basic(int inPlanes, int planes, int stride, Module<Tensor, Tensor>? downsample, int groups,
        int baseWidth, int dilation, Func<int, Module<Tensor, Tensor>>? norm)
    {
        norm ??= n => BatchNorm.BatchNorm2d(n);
        List<(string, Module<Tensor, Tensor>)> layers = [("conv1", Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false)),
            ("bn1", norm(planes)), ("relu1", ReLU(inplace: true)), ("conv2", Conv2d(planes, planes, 3, padding: 1, bias: false)),
            ("bn2", norm(planes))];
        if (downsample is not null) layers.Add(("downsample", downsample));
        return new ResNetBlock(Sequential(layers));
    }

    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < _convs.Length; i++)
        {
            x = _norms[i].call(_convs[i].call(x));
            if (i < _relus.Length) x = _relus[i].call(x);
        }
        var identity = _downsample?.call(input) ?? input;
        return x.add_(identity, Platform.Scalars.One).relu_();
    }

    public string ToOnnx(Onnx.OnnxGraph g, string input)
    {
        var x = input;
        for (int i = 0; i < _convs.Length; i++)
        {
            x = g.Module(_norms[i], g.Module(_convs[i], x));
            if (i < _relus.Length) x = g.Module(_relus[i], x);
        }
        var identity = _downsample is null ? input : g.Module(_downsample, input);
        return g.Node("Relu", [g.Node("Add", [x, identity])]);
    }
}
