using System.Globalization;
using System.Text;
using Podium.Data;
using Podium.Evaluation;
using Podium.Models;
using Podium.Tasks.SelfSupervised;
using Podium.Tracking;
using Podium.Training;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>
/// Self-supervised pretraining: NT-Xent and SimSiam's loss against PyTorch 1.13 (Debian's python3-torch) written as the papers
/// define them, the gradient cache against the loss taken over the same chunks with every graph kept, the k-NN monitor against
/// numpy, two views per image, and podium pretrain on real photos whose run starts a classifier.
/// </summary>
public class SelfSupervisedTests
{
    /// <summary>8 rows (4 images, 2 views) of 3 values: z[i, j] = sin(1.3 i + 0.7 j + 0.2), as the Python reference makes them.</summary>
    private static Tensor Rows(int n, int d, double phase = 0.2) => tensor(Enumerable.Range(0, n * d)
        .Select(k => (float)Math.Sin(1.3 * (k / d) + 0.7 * (k % d) + phase)).ToArray(), [n, d]).requires_grad_();

    private static void Near(double expected, double actual, double tolerance = 1e-5) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{actual} vs {expected}");

    [Fact]
    public void NtXentMatchesThePapersLossInPyTorch()
    {
        // PyTorch 1.13: zn = F.normalize(z); s = zn @ zn.T / t; l(i, j) = -log(exp(s[i, j]) / sum_{k != i} exp(s[i, k])), averaged
        // over the 2N views with j the other view of i's image (Chen et al. 2020, eq. 1 and Algorithm 1); z.grad after backward.
        using var scope = NewDisposeScope();
        var z = Rows(8, 3);
        var loss = SelfSupervisedLosses.NtXent(z, 0.5);
        loss.backward();
        Near(NtXentLoss, loss.item<float>());
        var grad = z.grad!.data<float>().ToArray();
        for (int i = 0; i < NtXentGrad.Length; i++) Near(NtXentGrad[i], grad[i]);
    }

    [Fact]
    public void SimSiamsLossMatchesThePapersInPyTorch()
    {
        // PyTorch 1.13: D(p, z) = -F.cosine_similarity(p, z.detach()).mean(); L = D(p1, z2) / 2 + D(p2, z1) / 2 (Chen & He 2021,
        // Algorithm 1); no gradient reaches z.
        using var scope = NewDisposeScope();
        var z = Rows(8, 3);
        var p = Rows(8, 3, phase: 1.1);
        var loss = SelfSupervisedLosses.NegativeCosine(z, p);
        loss.backward();
        Near(SimSiamLoss, loss.item<float>());
        Assert.True(z.grad is null || z.grad.abs().max().item<float>() == 0);
        var grad = p.grad!.data<float>().ToArray();
        for (int i = 0; i < SimSiamGrad.Length; i++) Near(SimSiamGrad[i], grad[i]);
        // Collapse shows as spread 0; views spread over the sphere, about 1.
        Assert.Equal(0, SelfSupervisedLosses.Spread(ones(16, 4)), 6);
        manual_seed(1);
        Assert.InRange(SelfSupervisedLosses.Spread(randn(4096, 8)), 0.95, 1.05);
    }

    private const double NtXentLoss = 1.6726630926132202;
    private static readonly double[] NtXentGrad =
    [
        0.4081019163131714, 0.1413494199514389, -0.1918819546699524, 0.07535435259342194, -0.04864916950464249,
        -0.14977222681045532, -0.49943289160728455, -0.3578330874443054, -0.047938793897628784, -0.1174347996711731,
        0.006379067897796631, 0.12719275057315826, -0.15704627335071564, -0.34681394696235657, -0.3734695613384247,
        -0.14764906466007233, -0.03501928597688675, 0.0940806046128273, -0.15114040672779083, 0.20800986886024475,
        0.469329833984375, 0.2526843547821045, 0.13608567416667938, -0.04451625049114227
    ];
    private const double SimSiamLoss = -0.33194518089294434;
    private static readonly double[] SimSiamGrad =
    [
        0.04895160719752312, -0.007584661245346069, -0.06055374816060066, -0.06283485889434814, -0.09044215828180313,
        -0.07551309466362, -0.05020468682050705, -0.008395947515964508, 0.03736152872443199, -0.018044833093881607,
        0.052112333476543427, 0.09776024520397186, -0.014806662686169147, -0.006632249802350998, 0.0046614184975624084,
        -0.006466727703809738, 0.002345208078622818, 0.010054156184196472, 0.024409804493188858, 0.022962985560297966,
        0.010716304183006287, 0.007098585367202759, 0.0003872029483318329, -0.006506290286779404
    ];

    [Theory]
    [InlineData(4)]
    [InlineData(5)] // a short last chunk
    public void TheGradientCacheGivesTheGradientsOfTheLossOverTheSameChunksWithEveryGraphKept(int chunk)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var model = nn.Sequential(nn.Linear(6, 8), BatchNorm.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.3), nn.Linear(8, 4));
        model.train();
        var x = randn(12, 6);
        var parameters = model.parameters().ToArray();
        Tensor Loss(Tensor z) => SelfSupervisedLosses.NtXent(z, 0.3);

        // The reference: every chunk's graph kept at once (the memory the cache saves), each chunk's dropout seeded as the cache
        // seeds it.
        var pieces = x.split(chunk);
        var kept = cat([.. pieces.Select((p, i) => { manual_seed(100 + i); return model.forward(p); })], 0);
        var reference = Loss(kept);
        reference.backward();
        var expected = parameters.Select(p => p.grad!.clone()).ToArray();
        foreach (var p in parameters) p.grad!.zero_();

        var objective = GradientCache.Loss(model, x, chunk, seed: 100, Loss, out var outputs);
        objective.backward();
        Near(reference.item<float>(), objective.item<float>());
        Assert.True(outputs.allclose(kept.detach(), rtol: 1e-5, atol: 1e-6));
        for (int i = 0; i < parameters.Length; i++)
            Assert.True(parameters[i].grad!.allclose(expected[i], rtol: 1e-4, atol: 1e-6), $"parameter {i}");
    }

    [Fact]
    public async Task TheKnnMonitorVotesAsNumpyDoes()
    {
        var rng = new Random(5);
        int n = 60, d = 5, k = 7;
        var v = new float[n, d];
        for (int i = 0; i < n; i++)
        {
            double norm = 0;
            for (int j = 0; j < d; j++) { v[i, j] = (float)(rng.NextDouble() * 2 - 1); norm += v[i, j] * v[i, j]; }
            for (int j = 0; j < d; j++) v[i, j] /= (float)Math.Sqrt(norm);
        }
        var set = new EmbeddingSet(v, [.. Enumerable.Range(0, n)]);
        int[] labels = [.. Enumerable.Range(0, n).Select(i => i % 9 == 0 ? -1 : rng.Next(3))];
        var predicted = KnnClassifier.Predict(set, set, labels, k, 0.1, leaveOneOut: true);
        var accuracy = KnnClassifier.LeaveOneOutAccuracy(set, labels, k, 0.1);

        var script = new StringBuilder("import numpy as np\n");
        script.AppendLine("V = np.array([" + string.Join(",", Enumerable.Range(0, n).Select(i => "[" + string.Join(",",
            Enumerable.Range(0, d).Select(j => v[i, j].ToString("R", CultureInfo.InvariantCulture))) + "]")) + "], dtype=np.float64)");
        script.AppendLine($"labels = [{string.Join(",", labels)}]; k = {k}");
        script.AppendLine("""
            S = V @ V.T
            out = []
            for q in range(len(labels)):
                order = [g for g in np.argsort(-S[q], kind='stable') if g != q][:k]
                votes = np.zeros(3)
                for g in order:
                    if labels[g] >= 0: votes[labels[g]] += np.exp(S[q, g] / 0.1)
                out.append(int(np.argmax(votes)) if votes.max() > 0 else -1)
            print(" ".join(map(str, out)))
            """);
        var numpy = (await TuningTests.Python(script.ToString())).Trim().Split(' ').Select(int.Parse).ToArray();
        Assert.Equal(numpy, predicted);
        var scored = Enumerable.Range(0, n).Where(i => labels[i] >= 0).ToArray();
        Assert.Equal(scored.Count(i => numpy[i] == labels[i]) / (double)scored.Length, accuracy, 9);
    }

    [Fact]
    public void EveryImageComesTwiceInABatchAsTwoDifferentViews()
    {
        var data = new IdxImageDataset(Path.Combine(TestEnv.Datasets, "notmnist", "t10k-images-idx3-ubyte.gz"));
        var pipeline = Augment.TransformRegistry.Build(new YamlDotNet.Serialization.DeserializerBuilder().Build()
            .Deserialize<List<object>>(SelfSupervisedTask.DefaultViews), "augment.train", 28, [0.5], [0.5]);
        var loader = new BatchLoader<ImageBatch>(data, pipeline, 1, 4, shuffle: true, dropLast: true, 1, 1, 0, ViewPairCollator.Instance);
        var batch = loader.Epoch(1).First();
        Assert.Equal(8, batch.Count);
        Assert.Equal(batch.Indices[..4], batch.Indices[4..]);
        Assert.Equal([8L, 1, 28, 28], batch.Shape);
        int plane = 28 * 28;
        for (int i = 0; i < 4; i++)
            Assert.False(batch.Pixels.AsSpan(i * plane, plane).SequenceEqual(batch.Pixels.AsSpan((4 + i) * plane, plane)));
        // The same seed draws the same views.
        var again = loader.Epoch(1).First();
        Assert.True(batch.Pixels.AsSpan(0, 8 * plane).SequenceEqual(again.Pixels.AsSpan(0, 8 * plane)));
    }

    [Fact]
    public void ARunCheckpointReadsBackAsItsStateDictAndAnythingElseIsOneLine()
    {
        var root = TestEnv.TempDir("run-checkpoint");
        using var scope = NewDisposeScope();
        var model = ModelRegistry.Create("resnet18", 3);
        Directory.CreateDirectory(Path.Combine(root, "run", "checkpoints"));
        File.WriteAllText(Path.Combine(root, "run", "config.yaml"), "data: {train: x}\n");
        CheckpointSaver.Save(model, Path.Combine(root, "run", "checkpoints", "last.pt"));
        var read = RunCheckpoint.Read(RunCheckpoint.Locate(Path.Combine(root, "run"))!);
        var expected = model.state_dict();
        Assert.Equal(expected.Count, read.Count);
        foreach (var (name, t) in expected) Assert.True(read[name].equal(t).all().item<bool>(), name);

        Directory.CreateDirectory(Path.Combine(root, "empty"));
        var e = Assert.Throws<PodiumException>(() => RunCheckpoint.Locate(Path.Combine(root, "empty")));
        Assert.Contains("no run with a checkpoint", e.Message);
        File.WriteAllBytes(Path.Combine(root, "run", "checkpoints", "best.pt"), [0x05, 0x01, 0x41]);
        e = Assert.Throws<PodiumException>(() => RunCheckpoint.Read(RunCheckpoint.Locate(Path.Combine(root, "run"))!));
        Assert.Contains("best.pt: not a Podium checkpoint", e.Message);
    }

    [Fact]
    public void PretrainingOnRealPhotosJudgesEachEpochAndItsRunStartsAClassifier()
    {
        var root = TestEnv.TempDir("pretrain");
        var hymenoptera = Path.Combine(TestEnv.Datasets, "hymenoptera");
        File.WriteAllText(Path.Combine(root, "ssl.yaml"), $$"""
            data: {train: {{hymenoptera}}/train, val: {{hymenoptera}}/val, img_size: 32}
            ssl: {method: simclr, chunk: 16}
            train: {epochs: 2, batch_size: 24}
            """);
        var r = TestEnv.Podium(root, "pretrain", "ssl.yaml", "--out", "ssl");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("model resnet18 with simclr's heads: 11.51 M parameters; 48 views per step, 16 at a time", r.Stdout);
        Assert.Contains("fine-tune or extract features from it: model.pretrained:", r.Stdout);
        var epochs = File.ReadAllLines(Path.Combine(root, "ssl", "epochs.csv"));
        Assert.StartsWith("epoch,train_loss,val_knn_accuracy,val_recall_at_1,val_map_at_r,", epochs[0]);
        Assert.Equal(3, epochs.Length);
        foreach (var row in epochs.Skip(1))
        {
            var cells = row.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.InRange(cells[1], 2.0, Math.Log(47) + 0.5); // NT-Xent starts near log(2N - 1)
            Assert.InRange(cells[2], 0.3, 1.0);
        }
        // The steps log the spread of the projections (collapse would be 0).
        Assert.Contains("loss_spread", File.ReadLines(Path.Combine(root, "ssl", "metrics.csv")).First());

        // Its features embed images (k-NN, retrieval); it has no classifier to evaluate.
        r = TestEnv.Podium(root, "embed", "--run", "ssl", "--input", Path.Combine(hymenoptera, "val"), "--out", "emb.csv");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Equal(154, File.ReadAllLines(Path.Combine(root, "emb.csv")).Length);
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "evaluate", "--run", "ssl"), "ssl: a self-supervised pretraining run has no " +
            "classifier; fine-tune from it (model.pretrained: ssl)");

        // Near-duplicates by embedding: a "test" folder holding resized and recompressed copies of three validation bees, and three
        // ants from the training folder, searched against the validation images: each copy's closest pair is its original. (Mirrored
        // copies need features that learned flips: two epochs at 32 px have not.)
        var test = Directory.CreateDirectory(Path.Combine(root, "test")).FullName;
        var bees = Directory.GetFiles(Path.Combine(hymenoptera, "val", "bees")).Order().Take(3).ToArray();
        foreach (var (bee, i) in bees.Select((b, i) => (b, i)))
        {
            using var image = OpenCvSharp.Cv2.ImRead(bee);
            using var smaller = image.Resize(new OpenCvSharp.Size(), 0.75, 0.75, OpenCvSharp.InterpolationFlags.Area);
            OpenCvSharp.Cv2.ImWrite(Path.Combine(test, $"copy{i}a.png"), smaller);
            OpenCvSharp.Cv2.ImWrite(Path.Combine(test, $"copy{i}b.jpg"), image, new OpenCvSharp.ImageEncodingParam(
                OpenCvSharp.ImwriteFlags.JpegQuality, 30));
        }
        foreach (var ant in Directory.GetFiles(Path.Combine(hymenoptera, "train", "ants"), "*.jpg").Order().Take(3))
            File.Copy(ant, Path.Combine(test, Path.GetFileName(ant)));
        r = TestEnv.Podium(root, "embed", "--run", "ssl", "--input", "test", "--gallery", Path.Combine(hymenoptera, "val"),
            "--out", "dup.csv", "--duplicates", "0.3");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("near-duplicates (cosine >= 0.3, against the gallery): ", r.Stdout);
        var pairs = File.ReadAllLines(Path.Combine(root, "duplicates.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        var closest = pairs.GroupBy(p => Path.GetFileName(p[0])).Where(g => g.Key.StartsWith("copy", StringComparison.Ordinal))
            .ToDictionary(g => g.Key, g => g.First()[1]); // most similar first
        Assert.Equal(6, closest.Count);
        foreach (var (copy, original) in closest) Assert.Equal(bees[copy[4] - '0'], original);
        Assert.True(File.Exists(Path.Combine(root, "duplicates.png")));

        File.WriteAllText(Path.Combine(root, "ft.yaml"), $$"""
            data: {train: {{hymenoptera}}/train, val: {{hymenoptera}}/val, img_size: 32}
            model: {name: resnet18, pretrained: ssl}
            train: {epochs: 1, batch_size: 24}
            """);
        r = TestEnv.Podium(root, "train", "ft.yaml", "--out", "ft");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("/ssl: loaded 120 tensors; 2 missing (fc.weight, fc.bias), 8 unexpected (projector.", r.Stdout);

        // SimSiam too, without a monitor when the images have no labels to hold out.
        File.WriteAllText(Path.Combine(root, "siam.yaml"), $$"""
            data: {train: {{hymenoptera}}/val/bees, img_size: 32}
            ssl: {method: simsiam}
            train: {epochs: 1, batch_size: 16}
            """);
        r = TestEnv.Podium(root, "pretrain", "siam.yaml", "--out", "siam");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("no labels to hold out for a k-NN monitor", r.Stdout);
        Assert.Contains("kept epoch 1 (lowest training loss", r.Stdout);
        var siam = File.ReadAllLines(Path.Combine(root, "siam", "epochs.csv"));
        Assert.StartsWith("epoch,train_loss,seconds,", siam[0]); // nothing to judge by
        Assert.InRange(double.Parse(siam[1].Split(',')[1], CultureInfo.InvariantCulture), -1, 1); // a negative cosine
    }

    [Fact]
    public void BadPretrainingInputIsOneLine()
    {
        var root = TestEnv.TempDir("pretrain-bad");
        Directory.CreateDirectory(Path.Combine(root, "empty", "sub"));
        File.WriteAllText(Path.Combine(root, "empty", "notes.txt"), "no images here");
        void Config(string name, string yaml) => File.WriteAllText(Path.Combine(root, name), yaml);
        Config("empty.yaml", "data: {train: empty, img_size: 32}\nssl: {}\n");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "pretrain", "empty.yaml"), "/empty: no images to pretrain on");
        Config("head.yaml", "data: {train: empty}\nssl: {}\nmodel: {head: {type: cosine}}\n");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "pretrain", "head.yaml"), "model.head: pretraining trains simclr's own heads");
        Config("accumulate.yaml", "data: {train: empty}\nssl: {chunk: 1}\n");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "pretrain", "accumulate.yaml"), "ssl.chunk: 0 (the whole batch) or at least 2");
        Config("classify.yaml", "data: {train: empty}\n");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "pretrain", "classify.yaml"), "pretrain trains self_supervised, this config is " +
            "classification");
        // Nothing to judge by: the training loss keeps the epoch.
        var resolved = TestEnv.Podium(root, "pretrain", "empty.yaml", "--print-config", "--set", "data.val_split=0");
        Assert.True(resolved.ExitCode == 0, resolved.Stderr);
        Assert.Contains("monitor: train_loss", resolved.Stdout);
        Config("from-nothing.yaml", $"data: {{train: {Path.Combine(TestEnv.Datasets, "hymenoptera", "val")}, img_size: 32}}\n" +
            "model: {pretrained: empty}\n");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "from-nothing.yaml"), "/empty: a folder but no run with a checkpoint");
    }
}
