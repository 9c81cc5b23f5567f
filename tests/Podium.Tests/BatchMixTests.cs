using Podium.Augment;
using Podium.Config;
using Podium.Quickstart;
using static TorchSharp.torch;

namespace Podium.Tests;

public class BatchMixTests
{
    [Theory]
    [InlineData(0.2)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void BetaSamplesHaveTheRightMeanAndVariance(double alpha)
    {
        var rng = new Random(1);
        var xs = Enumerable.Range(0, 40_000).Select(_ => BatchMixer.Beta(rng, alpha)).ToArray();
        double mean = xs.Average(), variance = xs.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, 0.49, 0.51);
        Assert.InRange(variance, 0.95 / (4 * (2 * alpha + 1)), 1.05 / (4 * (2 * alpha + 1)));
        Assert.All(xs, v => Assert.InRange(v, 0, 1));
    }

    private static (Tensor X, Tensor Y) Batch()
    {
        var x = arange(0, 8 * 3 * 4 * 4, dtype: float32).reshape(8, 3, 4, 4);
        return (x, arange(0, 8, dtype: int64));
    }

    [Fact]
    public void MixUpBlendsEachImageWithItsPartner()
    {
        var mixer = new BatchMixer(new BatchAugmentConfig { MixupAlpha = 0.4 }, seed: 1);
        var (x, y) = Batch();
        var m = mixer.Mix(x, y, epoch: 1, step: 3)!;
        Assert.Equal("mixup", m.Kind);
        Assert.InRange(m.Lambda, 0, 1);
        var partner = x.index_select(0, m.PartnerLabels); // labels are 0..7, so they name the partner
        Assert.True(m.Images.allclose(x * m.Lambda + partner * (1 - m.Lambda)));
        Assert.NotEqual(y.data<long>().ToArray(), m.PartnerLabels.data<long>().ToArray());
        var again = mixer.Mix(x, y, epoch: 1, step: 3)!;
        Assert.Equal(m.Lambda, again.Lambda); // seeded by (seed, epoch, step)
    }

    [Fact]
    public void CutMixPastesOneBoxAndCorrectsLambdaToItsArea()
    {
        var mixer = new BatchMixer(new BatchAugmentConfig { CutmixAlpha = 1.0 }, seed: 2);
        var (x, y) = Batch();
        for (long step = 0; step < 20; step++)
        {
            var m = mixer.Mix(x, y, 1, step)!;
            Assert.Equal("cutmix", m.Kind);
            var partner = x.index_select(0, m.PartnerLabels);
            var fromPartner = m.Images.eq(partner).logical_and(m.Images.ne(x)); // pixels that came from the partner
            double pasted = fromPartner[0, 0].sum().item<long>() / 16.0;
            Assert.Equal(1 - m.Lambda, pasted, 9);
            Assert.True(m.Images.eq(x).logical_or(m.Images.eq(partner)).all().item<bool>());
        }
    }

    [Fact]
    public void NoAlphaMeansNoMixing()
    {
        var mixer = new BatchMixer(new BatchAugmentConfig(), seed: 0);
        Assert.False(mixer.Enabled);
        var (x, y) = Batch();
        Assert.Null(mixer.Mix(x, y, 1, 0));
    }

    [Fact]
    public void TrainingWithMixUpAndCutMixRuns()
    {
        var root = TestEnv.TempDir("mix");
        SyntheticShapes.Generate(Path.Combine(root, "data"), trainPerClass: 8, testPerClass: 1, size: 24, seed: 2);
        var c = ConfigLoader.Parse($"data: {{train: {Path.Combine(root, "data", "train")}, img_size: 24}}\ntrain: {{epochs: 1, " +
            $"batch_size: 8}}\n" +
            "augment: {batch: {mixup_alpha: 0.2, cutmix_alpha: 1.0, prob: 1.0}}\n", "mix.yaml");
        var result = Runs.TrainingPipeline.Train(c, Path.Combine(root, "run"), new());
        Assert.True(double.IsFinite(result.Best!.TrainLoss));
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("data: {train: x}\naugment: {batch: {mixup_alpha: -1}}", "m.yaml"));
        Assert.Contains("augment.batch.mixup_alpha: must not be negative", e.Message);
    }
}
