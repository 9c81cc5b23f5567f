using Podium.Training;

namespace Podium.Tests;

/// <summary>The training engine's options wired end to end through the CLI.</summary>
public class TrainingEngineTests
{
    [Fact]
    public void LionPlateauAndASummedLossTrainWithDiscriminativeRates()
    {
        var root = TestEnv.ShapesProject("engine", trainPerClass: 10, seed: 5, testPerClass: 2, configYaml: """
            seed: 0
            data: {train: data/train, val_split: 0.2, img_size: 32}
            model: {name: resnet18}
            train:
              epochs: 3
              batch_size: 8
              monitor: val_loss
              optimizer: {name: lion, lr: 0.0003, weight_decay: 0.1, decay_norm_and_bias: false, backbone_lr_scale: 0.1}
              scheduler: {name: plateau, patience: 0, factor: 0.5, warmup: 0.34}
              loss: {name: sum, terms: [{name: cross_entropy, label_smoothing: 0.1}, {name: soft_f1, weight: 0.5}, {name: focal, gamma: 2, weight: 0.5}]}
            """);
        var r = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("parameter groups: ", r.Stdout);
        Assert.Contains("backbone (no decay) ", r.Stdout);
        Assert.Contains("tensors, lr x0.1, weight decay 0.1", r.Stdout);
        // Per-step lr: a one-epoch linear ramp, then the plateau schedule's rate (halved whenever val_loss did not improve).
        var lrs = File.ReadAllLines(Path.Combine(root, "run", "metrics.csv")).Skip(1)
            .Select(l => double.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(15, lrs.Length); // 40 images, 5 steps x 3 epochs
        Assert.True(lrs[0] < lrs[4]);
        Assert.Equal(0.0003, lrs[4], 9);
        Assert.Contains(lrs[10..], lr => Math.Abs(lr - 0.0003) < 1e-12 || Math.Abs(lr - 0.00015) < 1e-12);
    }
}

public class HeadTrainingTests
{
    [Theory]
    [InlineData("{type: cosine, embedding: 64, scale: 16}", "{name: arcface, margin: 0.3}")]
    [InlineData("{type: msd, samples: 4, dropout: 0.3}", "{name: cross_entropy}")]
    public void ConfiguredHeadsTrainEvaluateAndPredict(string head, string loss)
    {
        var root = TestEnv.ShapesProject("heads", trainPerClass: 8, seed: 4, testPerClass: 2, configYaml: $"""
            seed: 0
            data: {"{"}train: data/train, img_size: 32{"}"}
            model: {"{"}name: resnet18, head: {head}{"}"}
            train: {"{"}epochs: 2, batch_size: 8, loss: {loss}{"}"}
            """);
        var train = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        var eval = TestEnv.Podium(root, "evaluate", "--run", "run");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var predict = TestEnv.Podium(root, "predict", "--run", "run", "--input", "data/test", "--out", "sub.csv");
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        Assert.Equal(11, File.ReadAllLines(Path.Combine(root, "sub.csv")).Length);

        // Embeddings (the cosine head's 64-d ones, or msd's pooled 512 features), unit length, and a gallery search.
        var embed = TestEnv.Podium(root, "embed", "--run", "run", "--input", "data/test", "--gallery", "data/train", "--k", "3", "--out", "emb/test.csv");
        Assert.True(embed.ExitCode == 0, embed.Stderr + embed.Stdout);
        int width = head.Contains("cosine") ? 64 : 512;
        var rows = File.ReadAllLines(Path.Combine(root, "emb", "test.csv"));
        Assert.Equal(1 + width, rows[0].Split(',').Length);
        Assert.Equal(11, rows.Length);
        foreach (var row in rows.Skip(1))
        {
            double norm = Math.Sqrt(row.Split(',').Skip(1).Sum(v => Math.Pow(double.Parse(v, System.Globalization.CultureInfo.InvariantCulture), 2)));
            Assert.InRange(norm, 0.999, 1.001);
        }
        var neighbours = File.ReadAllLines(Path.Combine(root, "emb", "neighbours.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(10 * 3, neighbours.Count);
        foreach (var query in neighbours.Chunk(3))
        {
            var sims = query.Select(q => double.Parse(q[4], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.True(sims[0] >= sims[1] && sims[1] >= sims[2] && sims[0] <= 1.0001);
            Assert.Equal(["1", "2", "3"], query.Select(q => q[1]));
        }
        // Searching the training images for themselves: each finds itself first, so k-NN with k = 1 is exact.
        var self = TestEnv.Podium(root, "embed", "--run", "run", "--input", "data/train", "--gallery", "data/train", "--k", "1", "--out", "emb/train.csv");
        Assert.True(self.ExitCode == 0, self.Stderr + self.Stdout);
        Assert.Contains("k-NN accuracy (majority of 1): 1.0000", self.Stdout);
        Assert.All(File.ReadAllLines(Path.Combine(root, "emb", "neighbours.csv")).Skip(1).Select(l => l.Split(',')), n => Assert.Equal(n[0], n[2]));
    }
}

public class LrFinderTests
{
    [Fact]
    public void SteepestDescentIsFoundBeforeTheMinimum()
    {
        // A loss that falls fastest around lr 1e-3 (log-logistic drop), bottoms out at 1e-1, then rises.
        var lrs = Enumerable.Range(0, 61).Select(i => Math.Pow(10, -6 + i * 0.1)).ToArray();
        var loss = lrs.Select(lr => 2 - 1 / (1 + Math.Exp(-3 * (Math.Log10(lr) + 3))) + (lr > 0.1 ? 5 * (lr - 0.1) : 0)).ToList();
        int minAt = loss.IndexOf(loss.Min());
        Assert.InRange(Math.Log10(lrs[Runs.LrFinder.Steepest(lrs, loss, minAt)]), -3.15, -2.85);
    }

    [Fact]
    public void LrFindWritesItsCurveAndSuggestsARate()
    {
        var root = TestEnv.ShapesProject("lrfind", trainPerClass: 8, seed: 2, testPerClass: 1, configYaml: "data: {train: data/train, img_size: 32}\ntrain: {batch_size: 8}\n");
        var r = TestEnv.Podium(root, "lr-find", "cfg.yaml", "--steps", "20", "--start", "1e-5", "--end", "1", "--out", "lrf");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("suggested lr: ", r.Stdout);
        var rows = File.ReadAllLines(Path.Combine(root, "lrf", "lr_find.csv"));
        Assert.Equal("step,lr,loss,smoothed_loss", rows[0]);
        Assert.InRange(rows.Length - 1, 2, 20);
        Assert.Equal(1e-5, double.Parse(rows[1].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture), 12);
        Assert.True(File.Exists(Path.Combine(root, "lrf", "lr_find.png")));
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "lr-find", "cfg.yaml", "--start", "1", "--end", "0.1"), "must be positive and increasing");
    }
}

public class TrainingControlTests
{
    [Fact]
    public void AccumulationClippingAndEarlyStoppingWorkTogether()
    {
        var root = TestEnv.ShapesProject("control", trainPerClass: 10, seed: 6, testPerClass: 1, configYaml: """
            seed: 0
            data: {train: data/train, val_split: 0.2, img_size: 32}
            train:
              epochs: 5
              batch_size: 8
              accumulate: 2
              clip_grad: {norm: 1.0, value: 0.5}
              early_stopping: {patience: 1, min_delta: 100}
              ema: {decay: 0.9}
              scheduler: {name: onecycle, warmup: 0.3}
            """);
        var r = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        // min_delta 100: nothing counts as an improvement after epoch 1, so patience 1 stops after epoch 2.
        Assert.Contains("early stopping after epoch 2: val_accuracy has not improved", r.Stdout);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(root, "run", "epochs.csv")).Length);
        // 40 images, batches of 8: 5 batches an epoch, updates after batches 2, 4 and 5. The lr moves per update.
        var lrs = File.ReadAllLines(Path.Combine(root, "run", "metrics.csv")).Skip(1).Select(l => l.Split(',')[2]).ToArray();
        Assert.Equal(10, lrs.Length);
        Assert.Equal(lrs[0], lrs[1]);
        Assert.Equal(lrs[2], lrs[3]);
        Assert.NotEqual(lrs[1], lrs[2]);
        Assert.NotEqual(lrs[4], lrs[5]);
    }

    [Fact]
    public void DeterministicRunsRepeatBitForBit()
    {
        var root = TestEnv.ShapesProject("determ", trainPerClass: 8, seed: 8, testPerClass: 1, configYaml: """
            seed: 3
            deterministic: true
            data: {train: data/train, img_size: 32, workers: 2}
            train: {epochs: 2, batch_size: 8}
            augment:
              train: [{random_resized_crop: {size: 32}}, horizontal_flip, {color_jitter: {p: 1}}]
            """);
        foreach (var run in new[] { "a", "b" })
            Assert.Equal(0, TestEnv.Podium(root, "train", "cfg.yaml", "--out", run).ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "a", "checkpoints", "last.pt")), File.ReadAllBytes(Path.Combine(root, "b", "checkpoints", "last.pt")));
        string Losses(string run) => string.Join('\n', File.ReadAllLines(Path.Combine(root, run, "metrics.csv")).Select(l => string.Join(',', l.Split(',')[..4])));
        Assert.Equal(Losses("a"), Losses("b"));
    }

    [Fact]
    public void EmaAveragesWeightsAndLendsThemOnlyWhileApplied()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var layer = TorchSharp.torch.nn.Linear(2, 1);
        using (TorchSharp.torch.no_grad()) { layer.weight!.fill_(1); layer.bias!.fill_(0); }
        using var ema = new ModelEma(layer, decay: 0.5, warmup: false);
        using (TorchSharp.torch.no_grad()) layer.weight!.fill_(3);
        ema.Update(); // 0.5·1 + 0.5·3 = 2
        using (TorchSharp.torch.no_grad()) layer.weight!.fill_(5);
        ema.Update(); // 0.5·2 + 0.5·5 = 3.5
        using (ema.Apply()) Assert.Equal(3.5f, layer.weight!.data<float>()[0]);
        Assert.Equal(5f, layer.weight!.data<float>()[0]);
        Assert.Equal(1.0 / 10, new ModelEma(layer, 0.999).Decay, 12); // warm-up: (1 + 0)/(10 + 0)
    }

    [Fact]
    public void DivergenceGuardNamesTheProblem()
    {
        var guard = new DivergenceGuard(20);
        for (int i = 0; i < 30; i++) Assert.Null(guard.Check(1.0 - i * 0.01));
        string? problem = null;
        for (int i = 0; i < 50 && problem is null; i++) problem = guard.Check(100);
        Assert.Contains("over 20x its best", problem);
        Assert.Equal("loss is NaN", new DivergenceGuard(0).Check(double.NaN));
        var off = new DivergenceGuard(0);
        for (int i = 0; i < 30; i++) Assert.Null(off.Check(i < 25 ? 1 : 1000));
    }
}

public class CompetitionMetricTests
{
    [Fact]
    public void TheCompetitionMetricIsLoggedAndPicksTheBestEpoch()
    {
        var root = TestEnv.ShapesProject("metric", trainPerClass: 10, seed: 7, testPerClass: 1, configYaml: """
            seed: 0
            data: {train: data/train, val_split: 0.3, img_size: 32}
            train: {epochs: 4, batch_size: 8, metric: kappa_quadratic, metrics: [roc_auc, ece, log_loss]}
            """);
        var r = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("val_kappa_quadratic ", r.Stdout);
        var rows = File.ReadAllLines(Path.Combine(root, "run", "epochs.csv"));
        var header = rows[0].Split(',');
        Assert.Equal(["val_kappa_quadratic", "val_roc_auc", "val_ece"], header[5..8]); // after loss, accuracy and macro F1; log_loss is val_loss
        var kappa = rows.Skip(1).Select(l => double.Parse(l.Split(',')[5], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(rows.Skip(1), l => Assert.InRange(double.Parse(l.Split(',')[6], System.Globalization.CultureInfo.InvariantCulture), 0, 1));
        // The best checkpoint is the first epoch with the highest kappa (the default monitor: val_ + train.metric).
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "run", "summary.json")));
        Assert.Equal("val_kappa_quadratic", summary.RootElement.GetProperty("monitor").GetString());
        Assert.Equal(kappa.IndexOf(kappa.Max()) + 1, summary.RootElement.GetProperty("best_epoch").GetInt32());

        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "cfg.yaml", "--set", "train.monitor=val_pr_auc", "--out", "bad"),
            "train.monitor: unknown value 'val_pr_auc'");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "cfg.yaml", "--set", "train.metric=kapa", "--out", "bad"),
            "did you mean 'kappa'?");
    }
}
