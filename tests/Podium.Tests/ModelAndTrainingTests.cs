using Podium.Models;
using static TorchSharp.torch;

namespace Podium.Tests;

public class ModelAndTrainingTests
{
    [Theory]
    [InlineData("resnet18", 3)]
    [InlineData("resnet18", 1)]
    [InlineData("resnet50", 3)]
    [InlineData("mobilenet_v2", 1)]
    [InlineData("mobilenet_v3_small", 3)]
    [InlineData("mobilenet_v3_large", 3)]
    public void RegistryModelsGiveOneLogitPerClass(string name, int channels)
    {
        using var _ = NewDisposeScope();
        var model = ModelRegistry.Create(name, numClasses: 7, inChannels: channels);
        model.eval();
        using var noGrad = no_grad();
        var logits = model.forward(randn(2, channels, 64, 64));
        Assert.Equal([2L, 7L], logits.shape);
    }

    [Fact]
    public void GrayscaleIsTheRgbNetworkOnRepeatedChannels()
    {
        // Repeating gray to RGB equals summing the first conv's weights over channels (timm's adaptation).
        using var _ = NewDisposeScope();
        manual_seed(1);
        var gray = ModelRegistry.Create("resnet18", 4, inChannels: 1);
        var rgb = ((InputAdapter)gray).named_children().Single().module;
        gray.eval();
        rgb.eval();
        var x = rand(1, 1, 48, 48);
        using var noGrad = no_grad();
        var a = gray.forward(x);
        var b = ((nn.Module<Tensor, Tensor>)rgb).forward(x.expand(-1, 3, -1, -1));
        Assert.True(a.allclose(b));
    }

    [Fact]
    public void UnknownModelNamesSuggestTheClosest()
    {
        var e = Assert.Throws<ConfigException>(() => ModelRegistry.Create("resnt18", 3));
        Assert.StartsWith("model.name: unknown model 'resnt18' (did you mean 'resnet18'? one of: coatnet_0, convnext_atto, ", e.Message);
    }
}
