using Podium.Training;

namespace Podium.Tests;

public class TrainingControlTests
{
    [Fact]
    public void AccumulationClippingAndEarlyStoppingWorkTogether()
    {
        var root = TestEnv.ShapesProject("control", trainPerClass: 10, seed: 6, testPerClass: 1, configYaml: """
            seed: 0
            data: {train: data/train, val_split: 0.2, img_size: 32}
            model: {name: mobilenet_v3_small}
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
            model: {name: mobilenet_v3_small}
            train: {epochs: 2, batch_size: 8}
            augment:
              train: [{random_resized_crop: {size: 32}}, horizontal_flip, {color_jitter: {p: 1}}]
            """);
        foreach (var run in new[] { "a", "b" })
            Assert.Equal(0, TestEnv.Podium(root, "train", "cfg.yaml", "--out", run).ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "a", "checkpoints", "last.pt")),
            File.ReadAllBytes(Path.Combine(root, "b", "checkpoints", "last.pt")));
        string Losses(string run) => string.Join('\n',
            File.ReadAllLines(Path.Combine(root, run, "metrics.csv")).Select(l => string.Join(',', l.Split(',')[..4])));
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
