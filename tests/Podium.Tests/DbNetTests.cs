using Podium.Config;
using Podium.Models;
using Podium.Ocr;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>DBNet's model (backbone pyramid, necks, heads) and loss, the loss against the official formulas in PyTorch 1.13.</summary>
[Collection(nameof(GlobalTorchRng))]
public class DbNetTests
{
    [Theory]
    [InlineData("resnet18", "fpn", new long[] { 64, 128, 256, 512 })]
    [InlineData("mobilenet_v3_small", "unet", new long[] { 16, 24, 48, 576 })]
    [InlineData("mobilenet_v3_large", "fpn", new long[] { 24, 40, 112, 960 })]
    public void MapsComeBackAtTheInputSizeAndTheThresholdBranchOnlyTrains(string backbone, string neck, long[] channels)
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var net = new DbNet(backbone, neck, inner: 64);
        var pyramid = new FeaturePyramid(backbone);
        Assert.Equal(channels, pyramid.Channels);
        var features = pyramid.forward(zeros(1, 3, 96, 128));
        Assert.Equal([24L, 12, 6, 3], features.Select(f => f.shape[2]).ToArray());
        var x = randn(2, 3, 96, 128);
        net.train();
        var y = net.forward(x);
        Assert.Equal([2L, 3, 96, 128], y.shape);
        // B = 1 / (1 + e^(-50 (P - T))) exactly.
        var expected = reciprocal(1 + exp(-50 * (y[.., 0] - y[.., 1])));
        Assert.True((expected - y[.., 2]).abs().max().item<float>() < 1e-6);
        y.mean().backward();
        Assert.All(net.parameters(), p => Assert.True(p.grad is not null, "a parameter without a gradient"));
        net.eval();
        using (no_grad()) Assert.Equal([2L, 1, 96, 128], net.forward(x).shape);
    }

    [Fact]
    public void LossPartsEqualTheOfficialFormulas()
    {
        using var scope = NewDisposeScope();
        var i = arange(2 * 8 * 8, dtype: ScalarType.Float64).view(2, 8, 8);
        var p = sigmoid(sin(i * 0.37) * 3).to(ScalarType.Float32);
        var t = (0.3 + 0.4 * sigmoid(cos(i * 0.11))).to(ScalarType.Float32);
        var b = reciprocal(1 + exp(-50 * (p - t)));
        var gt = (sin(i * 0.21) > 0.3).to(ScalarType.Float32);
        var mask = (i.to(ScalarType.Int64) % 7 != 0).to(ScalarType.Float32);
        var tmap = (0.3 + 0.4 * sin(i * 0.05).abs()).to(ScalarType.Float32);
        var tmask = (cos(i * 0.13) > -0.2).to(ScalarType.Float32);
        var prediction = stack([p, t, b], 1);
        var targets = new DbBatchTargets(gt, mask, tmap, tmask);
        // PyTorch 1.13 with the official BalanceCrossEntropyLoss, DiceLoss and MaskL1Loss (47 positives, 62 hardest negatives).
        var (total, bce, dice, l1) = new DbLoss(new DbLossWeights()).Compute(prediction, targets);
        Assert.Equal(1.0888211727142334, bce, 5);
        Assert.Equal(0.5089387893676758, dice, 5);
        Assert.Equal(0.16141799092292786, l1, 5);
        Assert.Equal(3.211939811706543, total.item<float>(), 4);
        Assert.Equal(7.567224502563477, new DbLoss(new DbLossWeights(Bce: 5)).Compute(prediction, targets).Total.item<float>(), 4);

        // PaddleOCR's PP-OCR recipes (main_loss_type DiceLoss, alpha 5): its BalanceLoss multiplies the scalar Dice by the
        // positive and negative masks, so the balanced sum divided by their counts is the Dice of the probability map itself.
        var paddleWeights = new DbLossWeights(Bce: 5, DiceProbability: true);
        var (paddle, probability, binary, threshold) = new DbLoss(paddleWeights).Compute(prediction, targets);
        float[] pv = p.data<float>().ToArray(), gv = gt.data<float>().ToArray(), mv = mask.data<float>().ToArray();
        double intersection = 0, union = 1e-6;
        for (var k = 0; k < pv.Length; k++) (intersection, union) = (intersection + pv[k] * gv[k] * mv[k], union + (pv[k] + gv[k]) * mv[k]);
        Assert.Equal(1 - 2 * intersection / union, probability, 5);
        Assert.Equal((dice, l1), (binary, threshold));
        Assert.Equal(5 * probability + dice + 10 * l1, paddle.item<float>(), 4);
        Assert.Contains("ocr.probability_loss: unknown value 'focal'", Assert.Throws<ConfigException>(() =>
            ConfigLoader.Parse("data: {train: x, img_size: 640}\nocr: {probability_loss: focal}", "d.yaml")).Message);
    }
}
