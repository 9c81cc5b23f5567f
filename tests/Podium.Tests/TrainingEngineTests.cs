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
            model: {name: mobilenet_v3_small}
            train:
              epochs: 3
              batch_size: 8
              monitor: val_loss
              optimizer: {name: lion, lr: 0.0003, weight_decay: 0.1, decay_norm_and_bias: false, backbone_lr_scale: 0.1}
              scheduler: {name: plateau, patience: 0, factor: 0.5, warmup: 0.34}
              loss:
                name: sum
                terms: [{name: cross_entropy, label_smoothing: 0.1}, {name: soft_f1, weight: 0.5}, {name: focal, gamma: 2, weight: 0.5}]
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
        Assert.All(lrs[5..10], lr => Assert.Equal(0.0003, lr, 12)); // epoch 1's val_loss is the first best: no change
        // Epoch 3's rate is decided by epoch 2's val_loss against epoch 1's (relative threshold 1e-4, patience 0).
        var valLoss = File.ReadAllLines(Path.Combine(root, "run", "epochs.csv")).Skip(1)
            .Select(l => double.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        double expected = valLoss[1] < valLoss[0] * (1 - 1e-4) ? 0.0003 : 0.00015;
        Assert.All(lrs[10..], lr => Assert.Equal(expected, lr, 12));
    }
}
