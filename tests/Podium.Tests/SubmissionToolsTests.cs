using Podium.Evaluation;

namespace Podium.Tests;

/// <summary>The last mile: test-time augmentation, per-class thresholds, saved probabilities.</summary>
public class SubmissionToolsTests
{
    [Fact]
    public void TtaSpecsNameTheirViews()
    {
        Assert.Equal(["hflip", "vflip"], TestTimeAugmentation.Parse("hflip, vflip", 64).Select(v => v.Name));
        Assert.Equal(["crop-tl", "crop-tr", "crop-bl", "crop-br", "crop-c"], TestTimeAugmentation.Parse("five-crop",
            64).Select(v => v.Name));
        // 1.0 is the plain view
        Assert.Equal(["scale-0.9", "scale-1.1"], TestTimeAugmentation.Parse("scales=0.9:1.0:1.1", 64).Select(v => v.Name));
        Assert.Contains("unknown view 'rot90'",
            Assert.Throws<PodiumException>(() => TestTimeAugmentation.Parse("hflip,rot90", 64)).Message);
        Assert.Contains("'0' is not a scale", Assert.Throws<PodiumException>(() => TestTimeAugmentation.Parse("scales=0:1", 64)).Message);
        // Every view keeps the input size, so the views batch like the plain one.
        using var image = new OpenCvSharp.Mat(64, 64, OpenCvSharp.MatType.CV_8UC3, OpenCvSharp.Scalar.All(90));
        foreach (var (name, view) in TestTimeAugmentation.Parse("hflip,five-crop,scales=0.8:1.25", 64))
        {
            using var t = new Augment.AugmentTarget(image.Clone());
            view.Apply(t, new Random(0));
            Assert.True((64, 64) == (t.Width, t.Height), name);
        }
    }

    [Fact]
    public void GeometricMeanMergePunishesAViewThatRulesAClassOut()
    {
        var a = new Predictions(new float[,] { { 0.5f, 0.5f } }, [0]);
        var b = new Predictions(new float[,] { { 0.98f, 0.02f } }, [0]);
        Assert.Equal(0.74f, TestTimeAugmentation.Merge([a, b], "mean").Probabilities[0, 0], 5);
        // gmean: sqrt(0.5·0.98) : sqrt(0.5·0.02), renormalised.
        double g0 = Math.Sqrt(0.49), g1 = Math.Sqrt(0.01);
        Assert.Equal(g0 / (g0 + g1), TestTimeAugmentation.Merge([a, b], "gmean").Probabilities[0, 0], 5);
    }

    [Fact]
    public void ThresholdsRecoverAClassTheModelUnderPredicts()
    {
        // Class 2 is under-predicted: its probability is scaled down by 4. Tuning for macro F1 raises its weight.
        var rng = new Random(3);
        int n = 600;
        var truth = new int[n];
        var p = new float[n, 3];
        for (int i = 0; i < n; i++)
        {
            truth[i] = i % 3;
            var raw = new double[3];
            for (int c = 0; c < 3; c++) raw[c] = Math.Exp(rng.NextDouble() * 2 + (c == truth[i] ? 1.2 : 0)) * (c == 2 ? 0.25 : 1);
            double sum = raw.Sum();
            for (int c = 0; c < 3; c++) p[i, c] = (float)(raw[c] / sum);
        }
        var t = ClassThresholds.Tune(truth, p, ["a", "b", "c"], "f1_macro");
        Assert.True(t.After > t.Before + 0.05, $"{t.Before} -> {t.After}");
        Assert.True(t.Weights[2] > 2 * Math.Max(t.Weights[0], t.Weights[1]), string.Join(", ", t.Weights));
        Assert.Equal(t.After, Metrics.Compute("f1_macro", truth, t.Apply(p)), 12);
        Assert.Contains("thresholds do not change",
            Assert.Throws<PodiumException>(() => ClassThresholds.Tune(truth, p, ["a", "b", "c"], "roc_auc")).Message);

        var root = TestEnv.TempDir("thresholds");
        var (model, newer) = (Path.Combine(root, "best.pt"), Path.Combine(root, "newer.pt"));
        File.WriteAllText(model, "the model they were tuned on");
        File.WriteAllText(newer, "a model trained on since");
        t.Save(Path.Combine(root, "t.json"), model);
        var back = ClassThresholds.Load(Path.Combine(root, "t.json"), model, ["a", "b", "c"]);
        Assert.Equal(t.Weights, back.Weights);
        // Thresholds are never applied to a model they were not tuned on.
        Assert.Contains("t.json: tuned on another model than newer.pt",
            Assert.Throws<PodiumException>(() => ClassThresholds.Load(Path.Combine(root, "t.json"), newer, ["a", "b", "c"])).Message);
    }

    [Fact]
    public void EvaluateWithTtaAndThresholdsThenPredictUsesThem()
    {
        var root = TestEnv.ShapesProject("tta", trainPerClass: 12, seed: 21, testPerClass: 2, configYaml: """
            seed: 0
            data: {train: data/train, val_split: 0.25, img_size: 32}
            model: {name: mobilenet_v3_small}
            train: {epochs: 2, batch_size: 8, metric: f1_macro}
            """);
        Assert.Equal(0, TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run").ExitCode);
        var e = TestEnv.Podium(root, "evaluate", "--run", "run", "--tta", "hflip,vflip,scales=0.9:1.1", "--tta-merge", "gmean",
            "--tune-thresholds");
        Assert.True(e.ExitCode == 0, e.Stderr + e.Stdout);
        Assert.Contains("test-time augmentation (5 views: plain, hflip, vflip, scale-0.9, scale-1.1; gmean): f1_macro ", e.Stdout);
        Assert.Contains("per-class thresholds for f1_macro: ", e.Stdout);
        Assert.True(File.Exists(Path.Combine(root, "run", "thresholds.json")));
        var val = PredictionFile.Read(Path.Combine(root, "run", "predictions", "val.csv"));
        Assert.True(val.Labelled);
        Assert.Equal(15, val.Count);
        Assert.Contains("\"tta\"", File.ReadAllText(Path.Combine(root, "run", "evaluation.json")));

        var p = TestEnv.Podium(root, "predict", "--run", "run", "--input", "data/test", "--out", "sub.csv", "--tta", "hflip");
        Assert.True(p.ExitCode == 0, p.Stderr + p.Stdout);
        Assert.Contains("applying per-class thresholds from ", p.Stdout);
        Assert.Contains("test-time augmentation: 2 views (plain, hflip), mean of probabilities", p.Stdout);
        var test = PredictionFile.Read(Path.Combine(root, "run", "predictions", "test.csv"));
        Assert.Equal(10, test.Count);
        Assert.False(test.Labelled);
        for (int i = 0; i < test.Count; i++)
            Assert.Equal(1.0, Enumerable.Range(0, test.Classes.Count).Sum(c => test.Probabilities[i, c]), 4);
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "predict", "--run", "run", "--input", "data/test", "--tta", "rot90"),
            "unknown view 'rot90'");
    }
}
