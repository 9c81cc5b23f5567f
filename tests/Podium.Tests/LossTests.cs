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
    private static readonly float[] LogitValues = [1.0f, 2.0f, 0.5f, 0.2f, -1.0f, 3.0f, 2.5f, 0.0f, -0.5f, 0.0f, 0.3f, 0.1f, 1.5f, -0.5f,
        0.2f];
    private static readonly long[] Targets = [1, 2, 0, 2, 1];
    private static readonly int[] Counts = [10, 40, 25];

    private static double Loss(string yaml)
    {
        var c = ConfigLoader.Parse($"data: {{train: x}}\ntrain:\n  loss: {yaml}\n", "l.yaml").Train.Loss;
        using var scope = NewDisposeScope();
        var module = Losses.Create(c, new LossContext(Counts, CPU));
        return module.forward(tensor(LogitValues, [5, 3]), tensor(Targets)).item<float>();
    }

    private static void Near(double expected, double actual) => Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Abs(expected),
        $"{actual} vs {expected}");

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
        Near(0.829259991645813 + 0.5 * 0.43421030044555664,
            Loss("{name: sum, terms: [{name: cross_entropy}, {name: soft_f1, weight: 0.5}]}"));
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
            return Losses.Create(c, new LossContext([2, 2, 3], CPU, MultiLabelImages: 5)).forward(tensor(LogitValues, [5, 3]), tensor(y,
                [5, 3])).item<float>();
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
        var e = Assert.Throws<ConfigException>(()
            => ConfigLoader.Parse("data: {train: x.csv, multi_label: true}\ntrain: {loss: {name: cross_entropy}}", "l.yaml"));
        Assert.Contains("train.loss.name: cross_entropy needs one class per image; with data.multi_label use bce, focal or soft_f1",
            e.Message);
        Assert.Contains("unknown value 'kappa'", Assert.Throws<ConfigException>(() =>
            Runs.ConfigResolver.Resolve(ConfigLoader.Parse("data: {train: x.csv, multi_label: true}\ntrain: {loss: {name: bce}, metric: " +
                "kappa}", "l.yaml"))).Message);
    }

    [Fact]
    public void LossesAreDifferentiableAndConfigMistakesAreCaught()
    {
        foreach (var name in new[] { "cross_entropy", "focal", "soft_f1", "bce", "dice", "bce_dice" })
        {
            using var scope = NewDisposeScope();
            var logits = tensor(LogitValues, [5, 3]).requires_grad_(true);
            Losses.Create(new ComponentConfig(name), new LossContext(Counts, CPU)).forward(logits, tensor(Targets)).backward();
            Assert.True(logits.grad is { } g && g.abs().sum().item<float>() > 0, name);
        }
        Assert.Equal("l.yaml: train.loss.name: unknown loss 'focall' (did you mean 'focal'? one of: arcface, bce, bce_dice, cosface, " +
            "cross_entropy, dice, focal, soft_f1, sum)",
            Assert.Throws<ConfigException>(() => Resolve("data: {train: x}\ntrain: {loss: {name: focall}}")).Message);
        Assert.Contains("train.loss.terms[1].name", Assert.Throws<ConfigException>(() =>
            Resolve("data: {train: x}\ntrain: {loss: {name: sum, terms: [{name: bce}, {name: nope}]}}")).Message);
    }

    [Fact]
    public void ALossRefusesAnotherLosssParametersAndChecksItsOwn()
    {
        // cross_entropy has no gamma: it used to be read into a shared record and ignored.
        Assert.Equal("l.yaml: train.loss: unknown parameter 'gamma' (known: weight, class_weights, class_weight_power, label_smoothing)",
            Assert.Throws<ConfigException>(() => Resolve("data: {train: x}\ntrain: {loss: {name: cross_entropy, gamma: 3}}")).Message);
        Assert.Equal("l.yaml: train.loss: label_smoothing must be in [0, 1), got 1",
            Assert.Throws<ConfigException>(() => Resolve("data: {train: x}\ntrain: {loss: {label_smoothing: 1}}")).Message);
        Assert.Equal("l.yaml: train.loss.terms[0]: gamma must not be negative, got -1", Assert.Throws<ConfigException>(() =>
            Resolve("data: {train: x}\ntrain: {loss: {name: sum, terms: [{name: focal, gamma: -1}]}}")).Message);
        Assert.Equal("l.yaml: train.loss: terms: a sum needs at least one term",
            Assert.Throws<ConfigException>(() => Resolve("data: {train: x}\ntrain: {loss: {name: sum}}")).Message);
        Assert.Equal("l.yaml: train.loss: class_weights: 'heavy': none, balanced, or a list of weights, one per class",
            Assert.Throws<ConfigException>(() => Resolve("data: {train: x}\ntrain: {loss: {class_weights: heavy}}")).Message);
    }

    [Fact]
    public void TheResolvedConfigWritesEveryLossDefaultAndReadsBackTheSameLoss()
    {
        var resolved = Resolve("data: {train: x}\ntrain: {loss: {name: sum, terms: [{name: focal, class_weights: [1, 2, 3]}, soft_f1]}}");
        var yaml = ConfigLoader.ToYaml(resolved);
        Assert.Contains("gamma: 2", yaml);
        Assert.Contains("class_weight_power: 1", yaml);
        var again = Runs.ConfigResolver.Resolve(ConfigLoader.Parse(yaml, "config.yaml"));
        var terms = ((WeightedSum.Options)again.Train.Loss.Options!).Terms.Select(t => t.Options).ToList();
        var expected = ((WeightedSum.Options)resolved.Train.Loss.Options!).Terms.Select(t => t.Options).ToList();
        Assert.Equal(expected, terms);
        Assert.Equal(ClassWeighting.Listed([1, 2, 3]), ((FocalLoss.Options)terms[0]!).ClassWeights);
    }

    /// <summary>A config as a run resolves it: loss names are checked against the losses Podium has.</summary>
    private static PodiumConfig Resolve(string yaml) => Runs.ConfigResolver.Resolve(ConfigLoader.Parse(yaml, "l.yaml"), "l.yaml");
}
