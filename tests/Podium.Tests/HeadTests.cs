using Podium.Config;
using Podium.Training;
using static TorchSharp.torch;

namespace Podium.Tests;

public class HeadTests
{
    [Theory]
    // logits = 30·cos θ; ArcFace m = 0.5 (the second sample's θ + m passes π: the insightface fallback), CosFace m = 0.35
    [InlineData("arcface", 0.5, 16.897737503051758)]
    [InlineData("cosface", 0.35, 18.000368118286133)]
    public void MarginLossesMatchTheirFormulas(string name, double margin, double expected)
    {
        using var scope = NewDisposeScope();
        var cosine = tensor(new float[] { 0.2f, 0.8f, -0.1f, 0.5f, -0.3f, -0.95f, 0.9f, 0.1f, 0.3f }, [3, 3]);
        var parameters = new Dictionary<string, object?>
        {
            ["margin"] = margin.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var section = new ComponentConfig(name) { Parameters = parameters };
        var loss = Losses.Create(section, new LossContext([1, 1, 1], CPU, Scale: 30));
        double got = loss.forward(cosine * 30, tensor(new long[] { 1, 2, 0 })).item<float>();
        Assert.True(Math.Abs(got - expected) <= 1e-5 * expected, $"{got} vs {expected}");
    }

    [Theory]
    [InlineData("resnet18", 512)]
    [InlineData("resnet50", 2048)]
    [InlineData("mobilenet_v2", 1280)]
    [InlineData("mobilenet_v3_large", 960)]
    public void FeaturesModeGivesPooledFeaturesOfTheBackbonesWidth(string name, long width)
    {
        using var scope = NewDisposeScope();
        var features = Podium.Models.ModelRegistry.Features(name);
        features.eval();
        Assert.Equal([2L, width], features.forward(randn(2, 3, 64, 64)).shape);
        Assert.Equal(width, Podium.Models.ModelRegistry.FeatureWidth(name));
        Assert.Equal([1L, width], Podium.Models.ModelRegistry.Features(name, inChannels: 1).forward(randn(1, 1, 64, 64)).shape);
    }

    [Fact]
    public void HeadsReplaceTheBackbonesOwnAndBehaveInEvaluation()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 64, 64);
        foreach (var backbone in new[] { "resnet18", "mobilenet_v2", "mobilenet_v3_small" })
        {
            var msd = Podium.Models.ModelRegistry.Create(backbone, 4, 3, new Podium.Models.MultiSampleDropoutHead.Options { Samples = 4 });
            msd.eval();
            Assert.Equal([2L, 4L], msd.forward(x).shape);
            // Evaluation: dropout off, so the head is deterministic.
            Assert.True(msd.forward(x).allclose(msd.forward(x)));
            msd.train();
            Assert.False(msd.forward(x).allclose(msd.forward(x)));
        }
        var cosine = (Podium.Models.Classifier)Podium.Models.ModelRegistry.Create("resnet18", 5, 3, new Podium.Models.CosineHead.Options
        {
            Embedding = 16,
            Scale = 10,
        });
        cosine.eval();
        var logits = cosine.forward(x);
        Assert.True(logits.abs().max().item<float>() <= 10.0001f); // scale · cos θ
        var head = (Podium.Models.CosineHead)cosine.Head;
        var embedding = head.Embed(cosine.Features(x));
        Assert.Equal([2L, 16L], embedding.shape);
        Assert.True(embedding.norm(1).sub(1).abs().max().item<float>() < 1e-5);
        Assert.Contains("needs model.head.type: cosine", Assert.Throws<ConfigException>(() =>
            ConfigLoader.Parse("data: {train: x}\ntrain: {loss: {name: arcface}}", "h.yaml")).Message);
    }
}
