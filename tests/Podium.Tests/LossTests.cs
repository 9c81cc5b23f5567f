using Podium.Config;
using Podium.Training;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>
/// Every loss against PyTorch 1.13 (Debian's python3-torch): torch's own function where it has one
/// (binary_cross_entropy_with_logits), else the published formula written in torch ops.
/// </summary>
public class LossTests
{
    private static readonly float[] LogitValues = [1.0f, 2.0f, 0.5f, 0.2f, -1.0f, 3.0f, 2.5f, 0.0f, -0.5f, 0.0f, 0.3f, 0.1f, 1.5f, -0.5f, 0.2f];
    private static readonly long[] Targets = [1, 2, 0, 2, 1];
    private static readonly int[] Counts = [10, 40, 25];

    private static double Loss(string yaml)
    {
        var c = ConfigLoader.Parse($"data: {{train: x}}\ntrain:\n  loss: {yaml}\n", "l.yaml").Train.Loss;
        using var scope = NewDisposeScope();
        var module = Losses.Create(c, Counts, CPU);
        return module.forward(tensor(LogitValues, [5, 3]), tensor(Targets)).item<float>();
    }

    private static void Near(double expected, double actual) => Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Abs(expected), $"{actual} vs {expected}");

    [Fact]
    public void ClassificationLossesMatchPyTorch()
    {
        // -(1-p_t)^γ log p_t, mean; γ = 0 is cross-entropy
        Near(0.829259991645813, Loss("{name: focal, gamma: 0}"));
        Near(0.5013726949691772, Loss("{name: focal, gamma: 2}"));
        // α_t from class weights [0.5, 2, 1.25]
        Near(0.9230914115905762, Loss("{name: focal, gamma: 2, class_weights: [0.5, 2, 1.25]}"));
        Near(1.4389607906341553, Loss("{name: focal, gamma: 0, class_weights: [0.5, 2, 1.25]}"));
        // 1 - mean_c 2tp/(2tp+fp+fn+1e-7) on softmax probabilities
        Near(0.43421030044555664, Loss("{name: soft_f1}"));
        // F.binary_cross_entropy_with_logits(logits, one_hot), and with pos_weight
        Near(0.699059784412384, Loss("{name: bce}"));
        Near(0.7813802361488342, Loss("{name: bce, class_weights: [0.5, 2, 1.25]}"));
        // 1 - (2Σσ·y + 1)/(Σσ + Σy + 1)
        Near(0.4508829712867737, Loss("{name: dice}"));
        Near(0.699059784412384 + 0.4508829712867737, Loss("{name: bce_dice}"));
        Near(0.829259991645813 + 0.5 * 0.43421030044555664, Loss("{name: sum, terms: [{name: cross_entropy}, {name: soft_f1, weight: 0.5}]}"));
    }

    [Fact]
    public void MaskLossesTakeFloatTargetsOfTheLogitsShape()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0.5f, -1.0f, 2.0f, 0.1f, -0.3f, 1.2f, 0.0f, -2.0f }, [2, 2, 2]);
        var target = tensor(new float[] { 1, 0, 1, 1, 0, 1, 0, 0 }, [2, 2, 2]);
        Near(0.3995470404624939, new BinaryCrossEntropy().forward(logits, target).item<float>());
        Near(0.2762693762779236, new DiceLoss().forward(logits, target).item<float>());
    }

    [Fact]
    public void MultiLabelLossesMatchPyTorch()
    {
        // Multi-hot targets for the same logits; positives per label 2, 2, 3 of 5 images.
        float[] y = [1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1];
        double Multi(string yaml)
        {
            var c = ConfigLoader.Parse($"data: {{train: x.csv, multi_label: true}}\ntrain:\n  loss: {yaml}\n", "l.yaml").Train.Loss;
            using var scope = NewDisposeScope();
            return Losses.Create(c, [2, 2, 3], CPU, multiLabelImages: 5).forward(tensor(LogitValues, [5, 3]), tensor(y, [5, 3])).item<float>();
        }
        // torchvision.ops.sigmoid_focal_loss(x, y, alpha=-1, gamma, reduction="mean"); γ = 0 is BCE
        Near(0.30279645323753357, Multi("{name: focal, gamma: 2}"));
        Near(0.7257264256477356, Multi("{name: focal, gamma: 0}"));
        Near(0.7257264256477356, Multi("{name: bce}"));
        // sigmoid_focal_loss(..., reduction="none") * [0.5, 2, 1.25], mean
        Near(0.425015389919281, Multi("{name: focal, gamma: 2, class_weights: [0.5, 2, 1.25]}"));
        // balanced: pos_weight = negatives / positives per label = [1.5, 1.5, 0.667]
        Near(0.7694655656814575, Multi("{name: bce, class_weights: balanced}"));
        // soft F1 on sigmoid probabilities per label
        Near(0.43803513050079346, Multi("{name: soft_f1}"));
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("data: {train: x.csv, multi_label: true}\ntrain: {loss: {name: cross_entropy}}", "l.yaml"));
        Assert.Contains("train.loss.name: cross_entropy needs one class per image; with data.multi_label use bce, focal or soft_f1", e.Message);
        Assert.Contains("unknown value 'kappa'", Assert.Throws<ConfigException>(() =>
            Runs.ConfigResolver.Resolve(ConfigLoader.Parse("data: {train: x.csv, multi_label: true}\ntrain: {loss: {name: bce}, metric: kappa}", "l.yaml"))).Message);
    }

    [Fact]
    public void LossesAreDifferentiableAndConfigMistakesAreCaught()
    {
        foreach (var name in new[] { "cross_entropy", "focal", "soft_f1", "bce", "dice", "bce_dice" })
        {
            using var scope = NewDisposeScope();
            var logits = tensor(LogitValues, [5, 3]).requires_grad_(true);
            var c = new LossConfig { Name = name };
            Losses.Create(c, Counts, CPU).forward(logits, tensor(Targets)).backward();
            Assert.True(logits.grad is { } g && g.abs().sum().item<float>() > 0, name);
        }
        Assert.Contains("unknown value 'focall'", Assert.Throws<ConfigException>(() => ConfigLoader.Parse("data: {train: x}\ntrain: {loss: {name: focall}}", "l.yaml")).Message);
        Assert.Contains("train.loss.terms[1].name", Assert.Throws<ConfigException>(() =>
            ConfigLoader.Parse("data: {train: x}\ntrain: {loss: {name: sum, terms: [{name: bce}, {name: nope}]}}", "l.yaml")).Message);
    }
}

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
        var loss = Losses.Create(new LossConfig { Name = name, Margin = margin }, [1, 1, 1], CPU, scale: 30);
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
            var msd = Podium.Models.ModelRegistry.Create(backbone, 4, 3, new HeadConfig { Type = "msd", Samples = 4 });
            msd.eval();
            Assert.Equal([2L, 4L], msd.forward(x).shape);
            // Evaluation: dropout off, so the head is deterministic.
            Assert.True(msd.forward(x).allclose(msd.forward(x)));
            msd.train();
            Assert.False(msd.forward(x).allclose(msd.forward(x)));
        }
        var cosine = (Podium.Models.Classifier)Podium.Models.ModelRegistry.Create("resnet18", 5, 3, new HeadConfig { Type = "cosine", Embedding = 16, Scale = 10 });
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
