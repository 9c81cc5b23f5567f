using System.Globalization;
using System.Text.Json;
using OpenCvSharp;
using Podium.Config;
using Podium.Data;
using Podium.Evaluation;
using Podium.Models;
using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>
/// Anomaly detection (issue 21): the greedy coreset against numpy, the threshold rules and the figures at a threshold against
/// numpy and scikit-learn, PatchCore's block-wise nearest distances against libtorch's cdist, and podium anomaly train, score and
/// evaluate on real notMNIST letters (one letter normal, the other nine the anomalies) with both methods, and their bad inputs.
/// </summary>
public class AnomalyTests
{
    private static readonly string Letters = Path.Combine(TestEnv.Datasets, "notmnist", "t10k-images-idx3-ubyte.gz");

    /// <summary>Scores with ties, anomalies scoring higher on the whole: exact integers the Python script makes alike.</summary>
    private static (double[] Scores, bool[] Anomalous) Cases()
    {
        var anomalous = Enumerable.Range(0, 60).Select(i => i % 4 == 0 || i % 7 == 0).ToArray();
        var scores = Enumerable.Range(0, 60).Select(i => (double)(i * 37 % 23 + (anomalous[i] ? 6 : 0))).ToArray();
        return (scores, anomalous);
    }

    [Fact]
    public async Task ThresholdsAndFiguresMatchNumpyAndScikitLearn()
    {
        var (scores, anomalous) = Cases();
        var expected = JsonDocument.Parse(await TuningTests.Python("""
            import json, numpy as np
            from sklearn.metrics import precision_recall_curve, roc_auc_score, precision_score, recall_score, f1_score
            a = np.array([i % 4 == 0 or i % 7 == 0 for i in range(60)])
            s = np.array([float(i * 37 % 23 + (6 if a[i] else 0)) for i in range(60)])
            p, r, t = precision_recall_curve(a, s)
            f1 = 2 * p * r / np.maximum(p + r, 1e-12)
            best = t[np.argmax(f1[:-1])]
            flagged = s >= best
            print(json.dumps({"p95": np.percentile(s[~a], 95), "p50": np.percentile(s[~a], 50), "best": best,
                "f1": f1_score(a, flagged), "precision": precision_score(a, flagged), "recall": recall_score(a, flagged),
                "auroc": roc_auc_score(a, s), "fpr": float((flagged & ~a).sum() / (~a).sum())}))
            """)).RootElement;
        double E(string key) => expected.GetProperty(key).GetDouble();
        var normal = scores.Where((_, i) => !anomalous[i]).ToList();
        Assert.Equal(E("p95"), AnomalyThreshold.PercentileOf(normal, 95), 10);
        Assert.Equal(E("p50"), AnomalyThreshold.PercentileOf(normal, 50), 10);
        var chosen = AnomalyThreshold.Choose(scores, anomalous, "auto", 95);
        Assert.Equal(("f1", E("best")), (chosen.By, chosen.Value));
        Assert.Equal(("percentile", E("p95")), (AnomalyThreshold.Choose(scores, anomalous, "percentile", 95).By,
            AnomalyThreshold.Choose(scores, anomalous, "percentile", 95).Value));
        var at = AnomalyScore.Of(scores, anomalous, chosen.Value);
        Assert.Equal(E("f1"), at.F1, 10);
        Assert.Equal(E("f1"), AnomalyThreshold.BestF1(scores, anomalous).F1, 10);
        Assert.Equal(E("precision"), at.Precision, 10);
        Assert.Equal(E("recall"), at.Recall, 10);
        Assert.Equal(E("auroc"), at.Auroc, 10);
        Assert.Equal(E("fpr"), at.FalsePositiveRate, 10);
        // Without anomalies, auto takes the percentile.
        Assert.Equal("percentile", AnomalyThreshold.Choose(normal, new bool[normal.Count], "auto", 95).By);
    }

    [Fact]
    public async Task TheCoresetIsNumpysGreedyKCenterChoice()
    {
        const int n = 300, d = 6, count = 40;
        var values = Enumerable.Range(0, n * d).Select(k => Math.Sin(0.37 * k + 0.11 * (k % d) * (k % d)) * (1 + k % 5)).ToArray();
        using var scope = NewDisposeScope();
        var chosen = CoresetSampler.Greedy(tensor(values, [n, d]), count, start: 17);
        var expected = (await TuningTests.Python($$"""
            import numpy as np
            n, d = {{n}}, {{d}}
            x = np.array([np.sin(0.37 * k + 0.11 * (k % d) * (k % d)) * (1 + k % 5) for k in range(n * d)]).reshape(n, d)
            chosen = [17]
            nearest = ((x - x[17]) ** 2).sum(1)
            for _ in range({{count}} - 1):
                i = int(np.argmax(nearest)); chosen.append(i)
                nearest = np.minimum(nearest, ((x - x[i]) ** 2).sum(1))
            print(" ".join(map(str, chosen)))
            """)).Trim().Split(' ').Select(long.Parse).ToArray();
        Assert.Equal(expected, chosen);
        // Projected (more values than the projection keeps), the choice is seeded and covers the set: ten tight clusters in 200
        // dimensions give one chosen row each.
        var centres = randn(10, 200, generator: new TorchSharp.torch.Generator(3)).Times(10.0);
        var wide = centres.repeat_interleave(50, 0).add(randn(500, 200, generator: new TorchSharp.torch.Generator(4)).Times(0.1),
            Scalars.One);
        var a = CoresetSampler.Select(wide, 10, seed: 1);
        Assert.Equal(a, CoresetSampler.Select(wide, 10, seed: 1));
        Assert.Equal(Enumerable.Range(0, 10), a.Select(i => (int)(i / 50)).Order());
    }

    [Fact]
    public void PatchCoresNearestDistancesAreCdistsMinimumWhateverTheBlocks()
    {
        using var scope = NewDisposeScope();
        var config = new PodiumConfig
        {
            Data = new DataConfig { ImgSize = 64 },
            Model = new ModelConfig { Name = "resnet18" },
            Anomaly = new AnomalyConfig { BankSize = 6000 },
        };
        using var model = new PatchCoreModel(config);
        Assert.Equal((128 + 256, 8 * 8), (model.FeatureDim, model.PatchesPerImage)); // layer2 + layer3 on layer2's 8 x 8 grid
        var bank = randn(6000, model.FeatureDim, generator: new TorchSharp.torch.Generator(5));
        model.SetBank(bank);
        var rows = randn(7000, model.FeatureDim, generator: new TorchSharp.torch.Generator(6)); // 3 blocks of the 6000-row bank
        var actual = model.NearestDistances(rows).data<float>().ToArray();
        var expected = cdist(rows, bank).amin(1).data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-3 * expected[i], $"row {i}");
        // The map of an image is its patches' distances; its score is the largest.
        var map = model.AnomalyMap(randn(2, 3, 64, 64, generator: new TorchSharp.torch.Generator(7)));
        Assert.Equal([2L, 8, 8], map.shape);
        Assert.Equal(map[1].max().item<float>(), model.ImageScore(map)[1].item<float>());
    }

    [Fact]
    public void BothDetectorsFindOtherLettersAndScoreNewImagesFromTheCli()
    {
        var dir = TestEnv.TempDir("anomaly");
        var env = new Dictionary<string, string> { ["PODIUM_CACHE"] = PretrainedWeightsTests.CacheWithResNet() };
        var data = $"data:\n  train: {Letters}\n  val_split: 0.2\n  img_size: 32\n";
        File.WriteAllText(Path.Combine(dir, "patchcore.yaml"), data + """
            model: {name: resnet18_mlnet, pretrained: resnet18-imagenet}
            anomaly: {normal: ['0'], coreset: 0.05}
            train: {batch_size: 100}
            """);
        File.WriteAllText(Path.Combine(dir, "autoencoder.yaml"), data + """
              channels: 1
              mean: [0.5]
              std: [0.5]
            anomaly: {method: autoencoder, normal: ['0'], width: 8, latent: 8}
            train: {epochs: 2, batch_size: 32, monitor: val_normal_score, optimizer: {name: adamw, lr: 0.002}}
            """);
        TestEnv.CliResult Podium(params string[] args) => TestEnv.Podium(dir, env, args);
        var figures = new Dictionary<string, double>();
        foreach (var method in new[] { "patchcore", "autoencoder" })
        {
            var r = Podium("anomaly", "train", $"{method}.yaml", "--out", method);
            Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
            Assert.Contains("data: 800 train / 2000 val images", r.Stdout); // the As of the training side only
            Assert.Contains("threshold ", r.Stdout);
            var threshold = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, method, "threshold.json"))).RootElement;
            Assert.Equal("f1", threshold.GetProperty("by").GetString());
            figures[method] = threshold.GetProperty("validation").GetProperty("auroc").GetDouble();
            Assert.True(figures[method] > 0.75, $"{method}: AUROC {figures[method]}");
            foreach (var plot in new[] { "anomaly_scores.png", "anomaly_maps.png" })
                Assert.True(new FileInfo(Path.Combine(dir, method, "plots", plot)).Length > 5000, plot);
            Assert.Equal(2001, File.ReadAllLines(Path.Combine(dir, method, "val_scores.csv")).Length);
        }
        Assert.True(figures["patchcore"] > figures["autoencoder"], string.Join(", ", figures));

        // New images: three As and three Fs as PNG files; scores, decisions and a heat map per image.
        var letters = new IdxImageDataset(Letters);
        var input = Directory.CreateDirectory(Path.Combine(dir, "new")).FullName;
        int[] picked = [.. Enumerable.Range(0, 400).Where(i => letters.Label(i) == 0).Take(3),
            .. Enumerable.Range(0, 400).Where(i => letters.Label(i) == 5).Take(3)];
        foreach (var i in picked)
        {
            using var image = letters.Read(i, 1);
            Cv2.ImWrite(Path.Combine(input, $"letter{i:D4}_{letters.Label(i)}.png"), image);
        }
        var s = Podium("anomaly", "score", "--run", "patchcore", "--input", "new", "--out", "scores.csv", "--heatmaps", "maps");
        Assert.True(s.ExitCode == 0, s.Stdout + s.Stderr);
        Assert.Contains("of 6 images anomalous at threshold", s.Stdout);
        var rows = File.ReadAllLines(Path.Combine(dir, "scores.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(6, rows.Count);
        double Mean(string label) => rows.Where(r => r[0].EndsWith($"_{label}.png", StringComparison.Ordinal))
            .Average(r => double.Parse(r[1], CultureInfo.InvariantCulture));
        Assert.True(Mean("5") > Mean("0"), "Fs score above As");
        var maps = Directory.GetFiles(Path.Combine(dir, "maps"));
        Assert.Equal(6, maps.Length);
        using (var map = Cv2.ImRead(maps[0])) Assert.Equal((28, 28, 3), (map.Width, map.Height, map.Channels()));

        // Evaluate on the validation images again (no split file with test rows): the same AUROC the run found.
        var e = Podium("anomaly", "evaluate", "--run", "autoencoder");
        Assert.True(e.ExitCode == 0, e.Stdout + e.Stderr);
        var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "autoencoder", "evaluation.json"))).RootElement;
        Assert.Equal(figures["autoencoder"], evaluation.GetProperty("metrics").GetProperty("auroc").GetDouble(), 6);

        // Bad input: one line each.
        string Error(params string[] args)
        {
            var r = Podium(args);
            Assert.True(r.ExitCode == 1, r.Stdout + r.Stderr);
            var lines = r.Stderr.Trim().Split('\n');
            Assert.Single(lines);
            return lines[0];
        }
        Assert.StartsWith($"error: autoencoder/threshold.json: a threshold chosen for another model (run " +
            $"{Path.Combine(dir, "autoencoder")}), not {Path.Combine(dir, "patchcore", "checkpoints", "best.pt")}",
            Error("anomaly", "score", "--run", "patchcore", "--input", "new", "--threshold", "autoencoder/threshold.json"));
        Directory.CreateDirectory(Path.Combine(dir, "empty"));
        Assert.StartsWith("error: empty: ", Error("anomaly", "score", "--run", "patchcore", "--input", "empty"));
        Assert.Equal($"error: {Path.Combine(dir, "patchcore")}: an anomaly detection run; score images with podium anomaly score --run " +
            $"{Path.Combine(dir, "patchcore")}", Error("evaluate", "--run", Path.Combine(dir, "patchcore")));
        Assert.Equal("error: anomaly.normal: 'Z' is not a class of the data (its classes: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)",
            Error("anomaly", "train", "autoencoder.yaml", "--out", "bad", "--set", "anomaly.normal=[Z]"));
        Assert.StartsWith("error: config: model.pretrained: PatchCore describes patches by a pretrained backbone's features",
            Error("anomaly", "train", "patchcore.yaml", "--out", "bad", "--set", "model.pretrained=null"));
        Assert.StartsWith("error: anomaly.bank_mb: 800 training images x 16 patches x 384 values take 19 MB before the coreset",
            Error("anomaly", "train", "patchcore.yaml", "--out", "bad", "--set", "anomaly.bank_mb=1"));
    }
}
