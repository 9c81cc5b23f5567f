using Podium.Config;
using Podium.Evaluation;
using Podium.Training;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>Numbers checked against reference implementations. The expected values were computed
/// with Debian's python3-torch 1.13 (OneCycleLR, cross_entropy) and python3-sklearn 1.2.</summary>
public class ReferenceTests
{
    [Theory]
    [InlineData(0, 7.999999999999999e-05, 0.95)]
    [InlineData(1, 0.00010406920430544933, 0.9487463956090911)]
    [InlineData(5, 0.0006234716104471442, 0.9216941869558779)]
    [InlineData(13, 0.001975930795694551, 0.8512536043909088)]
    [InlineData(14, 0.002, 0.85)]
    [InlineData(15, 0.0019993170628747827, 0.8500341469928488)]
    [InlineData(50, 0.0012379382433018384, 0.888103240247869)]
    [InlineData(98, 6.90937125217666e-07, 0.9499658530071511)]
    [InlineData(99, 8e-09, 0.95)]
    public void OneCycleMatchesPyTorch(int step, double lr, double beta1)
    {
        // torch.optim.lr_scheduler.OneCycleLR(AdamW, max_lr=0.002, total_steps=100, pct_start=0.15)
        var s = new OneCycle(0.002, 100, 0.15);
        Assert.Equal(lr, s.LearningRate(step), 12);
        Assert.Equal(beta1, s.Momentum(step)!.Value, 12);
    }

    [Fact]
    public void CosineWithWarmupRisesLinearlyThenDecaysToMin()
    {
        var s = new CosineWithWarmup(0.1, totalSteps: 110, warmupSteps: 10, minLr: 0.001);
        Assert.Equal(0.01, s.LearningRate(0), 12);
        Assert.Equal(0.1, s.LearningRate(9), 12);
        Assert.Equal(0.1, s.LearningRate(10), 12);
        Assert.Equal(0.001 + 0.099 * 0.5 * (1 + Math.Cos(Math.PI / 3)), s.LearningRate(10 + 33), 12); // a third of the decay
        Assert.Equal(0.001, s.LearningRate(109), 12);
        for (int i = 11; i < 110; i++) Assert.True(s.LearningRate(i) <= s.LearningRate(i - 1));
    }

    [Fact]
    public void MetricsMatchScikitLearnWithAbsentAndNeverPredictedClasses()
    {
        int[] truth = [0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 0];
        int[] predicted = [0, 1, 1, 1, 0, 2, 1, 1, 1, 1, 4, 0]; // class 3 never predicted, class 4 absent from the truth
        var m = new ClassificationMetrics(truth, predicted, ["a", "b", "c", "d", "e"]);
        Assert.Equal(0.4166666666666667, m.Accuracy, 12);
        double[] p = [0.6666666666666666, 0.2857142857142857, 1.0, 0.0, 0.0];
        double[] r = [0.6666666666666666, 0.6666666666666666, 0.5, 0.0, 0.0];
        double[] f = [0.6666666666666666, 0.4, 0.6666666666666666, 0.0, 0.0];
        for (int c = 0; c < 5; c++)
        {
            Assert.Equal(p[c], m.PerClass[c].Precision, 12);
            Assert.Equal(r[c], m.PerClass[c].Recall, 12);
            Assert.Equal(f[c], m.PerClass[c].F1, 12);
        }
        Assert.Equal(0.3466666666666667, m.F1Macro, 12);
        Assert.Equal([3, 3, 2, 4, 0], m.PerClass.Select(s => s.Support));
        Assert.Equal(2, m.Confusion[1, 1]);
        Assert.Equal(3, m.Confusion[3, 1]);
    }

    [Fact]
    public void LogLossMatchesScikitLearnIncludingAZeroProbability()
    {
        var probs = new float[,] { { 0.7f, 0.1f, 0.1f, 0.05f, 0.05f }, { 0.2f, 0.5f, 0.1f, 0.1f, 0.1f }, { 0, 1, 0, 0, 0 } };
        Assert.Equal(12.364491837871944, ClassificationMetrics.LogLoss(probs, [0, 1, 2]), 6); // float32 inputs: 1e-6
    }

    [Theory]
    [InlineData(0.1, 1.6054563522338867)]
    [InlineData(0.0, 1.5754563808441162)]
    public void CrossEntropyWithLabelSmoothingMatchesPyTorch(double smoothing, double expected)
    {
        using var logits = tensor(new float[] { 2.0f, -1.0f, 0.5f, 0.1f, 0.2f, 3.0f }, new long[] { 2, 3 });
        using var target = tensor(new long[] { 0, 1 });
        using var loss = new CrossEntropy(smoothing).forward(logits, target);
        Assert.Equal(expected, loss.item<float>(), 5);
        // And the published formula: (1-ε)·CE(onehot) + ε·mean over classes of -log p.
        var lp = nn.functional.log_softmax(logits, 1).data<float>().ToArray();
        double manual = 0;
        for (int i = 0; i < 2; i++)
        {
            int t = i == 0 ? 0 : 1;
            manual += (1 - smoothing) * -lp[i * 3 + t] + smoothing * -(lp[i * 3] + lp[i * 3 + 1] + lp[i * 3 + 2]) / 3;
        }
        Assert.Equal(manual / 2, loss.item<float>(), 5);
    }

    [Theory]
    [InlineData(0.0, 0.502130389213562)]
    [InlineData(0.1, 0.6315229535102844)]
    public void ClassWeightedCrossEntropyMatchesPyTorch(double smoothing, double expected)
    {
        // torch.nn.functional.cross_entropy(logits, t, weight=[0.5, 2.0, 1.25], label_smoothing=ε)
        using var logits = tensor(new float[] { 1.0f, 2.0f, 0.5f, 0.2f, -1.0f, 3.0f, 2.5f, 0.0f, -0.5f, 0.0f, 0.3f, 0.1f }, new long[] { 4,
            3 });
        using var target = tensor(new long[] { 1, 2, 0, 2 });
        using var weight = tensor(new float[] { 0.5f, 2.0f, 1.25f });
        using var loss = new CrossEntropy(smoothing, weight).forward(logits, target);
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void BalancedClassWeightsMatchScikitLearn()
    {
        // sklearn.utils.class_weight.compute_class_weight("balanced", ...) on 500/500/50/50/50: [0.46 0.46 4.6 4.6 4.6]
        var c = new CrossEntropy.Options { ClassWeights = ClassWeighting.Balanced };
        Assert.Equal([0.46f, 0.46f, 4.6f, 4.6f, 4.6f], Losses.ClassWeights(c, [500, 500, 50, 50, 50])!);
        Assert.Equal(Math.Sqrt(4.6), Losses.ClassWeights(c with { ClassWeightPower = 0.5 }, [500, 500, 50, 50, 50])![2], 5);
        Assert.Null(Losses.ClassWeights(new CrossEntropy.Options(), [1, 2]));
        var listed = c with { ClassWeights = ClassWeighting.Read(new List<object> { "1", "2.5" }, "class_weights") };
        Assert.Equal([1f, 2.5f], Losses.ClassWeights(listed, [10, 20])!);
        Assert.Throws<ConfigException>(() => Losses.ClassWeights(listed, [10, 20, 30]));
    }
}
