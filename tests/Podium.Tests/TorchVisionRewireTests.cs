using Podium.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>
/// The ResNets and MobileNets Podium builds are TorchVision's, with the residual additions rewired to kept-alive
/// Scalars: at the same seed the same weights under the same names, the same outputs and gradients bit for bit, and
/// no Scalar left to the finalizer by a training step.
/// </summary>
[Collection(nameof(GlobalTorchRng))]
public class TorchVisionRewireTests
{
    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    [InlineData("mobilenet_v2")]
    [InlineData("mobilenet_v3_small")]
    [InlineData("mobilenet_v3_large")]
    public void RewiredModelsMatchTorchVisionAndMakeNoTemporaryScalars(string name)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        nn.Module<Tensor, Tensor> plain = name switch
        {
            "resnet18" => torchvision.models.resnet18(num_classes: 5),
            "resnet50" => torchvision.models.resnet50(num_classes: 5),
            "mobilenet_v2" => torchvision.models.mobilenet_v2(num_classes: 5),
            "mobilenet_v3_small" => torchvision.models.mobilenet_v3_small(),
            _ => torchvision.models.mobilenet_v3_large(),
        };
        manual_seed(7);
        var podium = ModelRegistry.Create(name, 5);
        bool v3 = name.StartsWith("mobilenet_v3", StringComparison.Ordinal);
        // MobileNetV3 gets Podium's head for the class count: compare the feature extractor, which is TorchVision's.
        var ours = v3 ? Child(podium, "features") : podium;
        var theirs = v3 ? Child(plain, "features") : plain;

        var a = ours.state_dict();
        var b = theirs.state_dict();
        Assert.Equal(b.Keys, a.Keys);
        foreach (var key in a.Keys) Assert.True(Same(a[key], b[key]), $"{name}: {key} differs");

        var x = randn(2, 3, 64, 64);
        ours.train();
        theirs.train();
        using var finalized = new Platform.TorchFinalizations();
        var before = finalized.Settle();
        manual_seed(11); // the same dropout masks for both
        var y = ours.forward(x);
        y.sum().backward();
        Assert.Equal(before, finalized.Settle());
        manual_seed(11);
        var expected = theirs.forward(x);
        expected.sum().backward();
        Assert.True(Same(y, expected), $"{name}: outputs differ");
        var grads = theirs.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        foreach (var (key, p) in ours.named_parameters()) Assert.True(Same(p.grad!, grads[key]), $"{name}: gradient of {key} differs");
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static nn.Module<Tensor, Tensor> Child(nn.Module<Tensor, Tensor> m, string name) =>
        (nn.Module<Tensor, Tensor>)m.named_children().Single(c => c.name == name).module;
}
