using Podium.Config;
using Podium.Models;
using Podium.Quickstart;
using Podium.Training;
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
        Assert.Equal("model.name: unknown model 'resnt18' (did you mean 'resnet18'?)", e.Message);
    }
}

/// <summary>libtorch's random generator is one per process: an in-process run that must repeat
/// cannot share the process with tests drawing from it, so these run alone.</summary>
[CollectionDefinition(nameof(GlobalTorchRng), DisableParallelization = true)]
public sealed class GlobalTorchRng;

[Collection(nameof(GlobalTorchRng))]
public class ReproducibilityTests
{
    [Fact]
    public void SameSeedGivesTheSameRunStepForStep()
    {
        var root = TestEnv.TempDir("repro");
        SyntheticShapes.Generate(Path.Combine(root, "data"), trainPerClass: 12, testPerClass: 1, size: 24, seed: 5);
        string[] Losses(string name, int workers)
        {
            var c = ConfigLoader.Parse($"seed: 3\ndata: {{train: {Path.Combine(root, "data", "train")}, img_size: 24, workers: {workers}}}\n" +
                "train: {epochs: 2, batch_size: 8}\naugment:\n  train:\n    - random_resized_crop: {size: 24, scale: [0.5, 1]}\n    - horizontal_flip: {}\n", "r.yaml");
            Runs.TrainingPipeline.Train(c, Path.Combine(root, name), new());
            return File.ReadAllLines(Path.Combine(root, name, "metrics.csv")).Select(l => string.Join(',', l.Split(',')[..4])).ToArray();
        }
        var first = Losses("a", workers: 1);
        Assert.Equal(first, Losses("b", workers: 3)); // loader threads do not change the run
        Assert.Equal(1 + 2 * 6, first.Length);
    }
}
