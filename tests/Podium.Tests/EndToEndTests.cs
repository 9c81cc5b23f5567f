using System.Text.Json;
using Podium.Quickstart;

namespace Podium.Tests;

/// <summary>The whole path through the real CLI (a subprocess, as a user runs it).</summary>
public class EndToEndTests
{
    private static string SmallConfig(string train, int img = 32, int epochs = 2, string extra = "") => $"""
        seed: 0
        data: {"{"}train: {train}, val_split: 0.25, img_size: {img}{extra}{"}"}
        model: {"{"}name: mobilenet_v3_small{"}"}
        train:
          epochs: {epochs}
          batch_size: 16
          optimizer: {"{"}name: adamw, lr: 0.002, weight_decay: 0.05{"}"}
          scheduler: {"{"}name: onecycle, warmup: 0.15{"}"}
          loss: {"{"}name: cross_entropy, label_smoothing: 0.1{"}"}
        augment:
          train:
            - random_resized_crop: {"{"}size: {img}, scale: [0.5, 1.0]{"}"}
            - horizontal_flip: {"{"}p: 0.5{"}"}
        """;

    [Fact]
    public void TrainEvaluatePredictOnGeneratedShapes()
    {
        var root = TestEnv.TempDir("e2e");
        SyntheticShapes.Generate(Path.Combine(root, "data"), trainPerClass: 16, testPerClass: 4, size: 32, seed: 7);
        File.WriteAllText(Path.Combine(root, "cfg.yaml"), SmallConfig("data/train"));

        var train = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        var run = Path.Combine(root, "run");
        foreach (var f in new[] { "config.yaml", "classes.txt", "split.csv", "metrics.csv", "epochs.csv", "summary.json", "evaluation.json",
                                  "report.html", "checkpoints/best.pt", "checkpoints/last.pt", "plots/curves.png",
                                      "plots/confusion_matrix.png" })
            Assert.True(File.Exists(Path.Combine(run, f)), f);

        // metrics.csv: one row per step (80 images, 60 train, batch 16, drop_last: 3 steps x 2 epochs).
        var steps = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.Equal("step,epoch,lr,loss,data_wait_ms,step_ms,decode_ms,augment_ms", steps[0]);
        // the online pipeline's cost
        Assert.All(steps.Skip(1), l => Assert.True(double.Parse(l.Split(',')[7], System.Globalization.CultureInfo.InvariantCulture) > 0,
            l));
        Assert.Equal(6, steps.Length - 1);
        Assert.StartsWith("epoch,train_loss,val_loss,val_accuracy,val_f1_macro,seconds",
            File.ReadAllLines(Path.Combine(run, "epochs.csv"))[0]);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, "epochs.csv")).Length);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.True(summary.RootElement.GetProperty("finished").GetBoolean());
        Assert.InRange(summary.RootElement.GetProperty("best_epoch").GetInt32(), 1, 2);
        Assert.Equal(["circle", "cross", "square", "star", "triangle"], File.ReadAllLines(Path.Combine(run, "classes.txt")));
        Assert.Contains("label_smoothing: 0.1", File.ReadAllText(Path.Combine(run, "config.yaml")));
        Assert.Contains("data:image/png;base64,", File.ReadAllText(Path.Combine(run, "report.html")));

        var eval = TestEnv.Podium(root, "evaluate", "--run", "run");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Contains("validation split: 20 images, accuracy", eval.Stdout);
        Assert.Contains("triangle", eval.Stdout);
        Assert.Contains("kappa_quadratic ", eval.Stdout);
        // Error analysis: every mistake listed, most confident first, and pictures of them and of the unsure correct ones.
        using (var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json"))))
        {
            var e = evaluation.RootElement;
            var metrics = e.GetProperty("metrics");
            foreach (var name in new[] { "balanced_accuracy", "kappa_quadratic", "roc_auc", "pr_auc", "top2_accuracy", "ece",
                "f1_weighted" })
                Assert.True(metrics.TryGetProperty(name, out _), name);
            Assert.Equal(e.GetProperty("accuracy").GetDouble(), metrics.GetProperty("accuracy").GetDouble(), 12);
            var errors = File.ReadAllLines(Path.Combine(run, "errors.csv"));
            Assert.Equal("path,true,predicted,p_predicted,p_true", errors[0]);
            int wrong = (int)Math.Round(20 * (1 - e.GetProperty("accuracy").GetDouble()));
            Assert.Equal(wrong, errors.Length - 1);
            var confidence = errors.Skip(1).Select(l => double.Parse(l.Split(',')[3],
                System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(confidence.OrderByDescending(c => c), confidence);
            Assert.All(errors.Skip(1), l => Assert.NotEqual(l.Split(',')[1], l.Split(',')[2]));
            Assert.Equal(wrong > 0, File.Exists(Path.Combine(run, "plots", "mistakes.png")));
            Assert.Equal(wrong < 20, File.Exists(Path.Combine(run, "plots", "unsure_correct.png")));
        }

        var predict = TestEnv.Podium(root, "predict", "--run", "run", "--input", "data/test", "--out", "sub.csv", "--sample",
            "data/sample_submission.csv");
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        var sub = File.ReadAllLines(Path.Combine(root, "sub.csv"));
        var sample = File.ReadAllLines(Path.Combine(root, "data", "sample_submission.csv"));
        Assert.Equal(sample.Length, sub.Length);
        Assert.Equal(sample.Select(l => l.Split(',')[0]), sub.Select(l => l.Split(',')[0])); // same ids, same order
        Assert.All(sub.Skip(1), l => Assert.Contains(l.Split(',')[1], new[] { "circle", "cross", "square", "star", "triangle" }));

        var preview = TestEnv.Podium(root, "augment", "preview", "cfg.yaml", "--n", "5", "--out", "preview.png",
            "--set", "augment.train=[{rotate: {limit: 30, p: 1}}, {one_of: {p: 1, transforms: [vertical_flip, transpose]}}]");
        Assert.True(preview.ExitCode == 0, preview.Stderr);
        using (var grid = OpenCvSharp.Cv2.ImRead(Path.Combine(root, "preview.png")))
            Assert.Equal((3 * (96 + 4), 2 * (96 + 18 + 4)), (grid.Width, grid.Height)); // 3 columns x 2 rows of 96 px tiles
        AssertOneLine(TestEnv.Podium(root, "augment", "preview", "cfg.yaml", "--n", "0"), "--n 0: between 1 and 400 samples");

        // Custom column names and id style.
        var custom = TestEnv.Podium(root, "predict", "--run", "run", "--input", "data/test", "--out", "sub2.csv", "--id-style", "filename");
        Assert.True(custom.ExitCode == 0, custom.Stderr);
        Assert.StartsWith("img_00000.png,", File.ReadAllLines(Path.Combine(root, "sub2.csv"))[1]);

        // augment.tta: views that change nothing give the plain predictions; a flip view is averaged in; a typo is one line.
        var configPath = Path.Combine(run, "config.yaml");
        var plainConfig = File.ReadAllText(configPath);
        void WithTta(params object[] views)
        {
            var loaded = global::Podium.Config.ConfigLoader.Load(configPath, []);
            var c = loaded with { Augment = loaded.Augment with { Tta = [.. views] } };
            File.WriteAllText(configPath, global::Podium.Config.ConfigLoader.ToYaml(c));
        }
        WithTta("resize", new List<object> { "resize", "resize" });
        var same = TestEnv.Podium(root, "predict", "--run", "run", "--input", "data/test", "--out", "sub-tta.csv");
        Assert.True(same.ExitCode == 0, same.Stderr);
        Assert.Contains("test-time augmentation: 3 views", same.Stdout);
        Assert.Equal(File.ReadAllLines(Path.Combine(root, "sub.csv")), File.ReadAllLines(Path.Combine(root, "sub-tta.csv")));
        WithTta(new Dictionary<object, object> { ["horizontal_flip"] = new Dictionary<object, object> { ["p"] = 1 } });
        Assert.Equal(0, TestEnv.Podium(root, "predict", "--run", "run", "--input", "data/test", "--out", "sub-flip.csv",
            "--probabilities", "p-tta.csv").ExitCode);
        Assert.Equal(sub.Length, File.ReadAllLines(Path.Combine(root, "sub-flip.csv")).Length);
        // The flip view's probabilities are the mean of the plain ones and those of the images mirrored on disk.
        var flipped = Directory.CreateDirectory(Path.Combine(root, "data", "test-flipped")).FullName;
        foreach (var f in Directory.GetFiles(Path.Combine(root, "data", "test")))
        {
            using var image = OpenCvSharp.Cv2.ImRead(f, OpenCvSharp.ImreadModes.Unchanged);
            using var mirrored = image.Flip(OpenCvSharp.FlipMode.Y);
            OpenCvSharp.Cv2.ImWrite(Path.Combine(flipped, Path.GetFileName(f)), mirrored);
        }
        File.WriteAllText(configPath, plainConfig);
        Assert.Equal(0, TestEnv.Podium(root, "predict", "--run", "run", "--input", "data/test", "--out", "p1.csv", "--probabilities",
            "p-plain.csv").ExitCode);
        Assert.Equal(0, TestEnv.Podium(root, "predict", "--run", "run", "--input", "data/test-flipped", "--out", "p2.csv",
            "--probabilities", "p-mirrored.csv").ExitCode);
        Dictionary<string, double[]> Probabilities(string file) => File.ReadAllLines(Path.Combine(root,
            file)).Skip(1).Select(l => l.Split(','))
            .ToDictionary(a => Path.GetFileName(a[0]),
                a => a.Skip(2).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        var (plainP, mirroredP, ttaP) = (Probabilities("p-plain.csv"), Probabilities("p-mirrored.csv"), Probabilities("p-tta.csv"));
        Assert.Equal(plainP.Count, ttaP.Count);
        foreach (var (name, p) in ttaP)
            for (int c = 0; c < p.Length; c++) Assert.Equal((plainP[name][c] + mirroredP[name][c]) / 2, p[c], 4);
        WithTta(new List<object> { "resize", "hflip" });
        AssertOneLine(TestEnv.Podium(root, "predict", "--run", "run", "--input", "data/test", "--out", "x.csv"),
            "augment.tta[0][1]: unknown transform 'hflip'");
        File.WriteAllText(configPath, plainConfig);
    }

    [Fact]
    public void OfflineCopiesTrainWithoutLeakingASourceIntoValidation()
    {
        var root = TestEnv.TempDir("offline");
        SyntheticShapes.Generate(Path.Combine(root, "data"), trainPerClass: 8, testPerClass: 1, size: 32, seed: 9);
        File.WriteAllText(Path.Combine(root, "cfg.yaml"), SmallConfig("data/train", img: 32, epochs: 1));
        var offline = TestEnv.Podium(root, "augment", "offline", "cfg.yaml", "--copies", "3", "--out", "aug",
            "--set", "augment.train=[{rotate: {limit: 30, p: 1}}, gauss_noise]");
        Assert.True(offline.ExitCode == 0, offline.Stderr);
        Assert.Contains("wrote 120 augmented images (3 per image, 40 images)", offline.Stdout);
        var manifest = File.ReadAllLines(Path.Combine(root, "aug", "manifest.csv"));
        Assert.Equal("path,label,group,copy", manifest[0]);
        Assert.Equal(40 * 4, manifest.Length - 1); // originals + 3 copies each
        // Every row resolves from the manifest's folder, originals included (they are written as absolute paths).
        Assert.All(manifest.Skip(1), l => Assert.True(File.Exists(Path.Combine(root, "aug", l.Split(',')[0])), l));

        // Same seed, same files: a second run writes identical bytes.
        var first = File.ReadAllBytes(Path.Combine(root, "aug", manifest[2].Split(',')[0]));
        Assert.Equal(0, TestEnv.Podium(root, "augment", "offline", "cfg.yaml", "--copies", "3", "--out", "aug2", "--set",
            "augment.train=[{rotate: {limit: 30, p: 1}}, gauss_noise]").ExitCode);
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(root, "aug2", manifest[2].Split(',')[0])));

        var train = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run", "--set", "data.train=aug/manifest.csv");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        var groupOf = manifest.Skip(1).Select(l => l.Split(',')).ToDictionary(
            f => Path.IsPathRooted(f[0]) ? f[0] : Path.GetFullPath(Path.Combine(root, "aug", f[0])), f => f[2]);
        var lines = File.ReadAllLines(Path.Combine(root, "run", "split.csv"));
        Assert.Equal("path,label,group,subset", lines[0]); // the groups travel with the split
        var split = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(split, f => Assert.Equal(groupOf[f[0]], f[2]));
        var trainGroups = split.Where(f => f[3] == "train").Select(f => groupOf[f[0]]).ToHashSet();
        var valGroups = split.Where(f => f[3] == "val").Select(f => groupOf[f[0]]).ToHashSet();
        Assert.Equal(10, valGroups.Count); // a quarter of the 40 sources, each with its 4 rows
        Assert.Empty(trainGroups.Intersect(valGroups));
    }

    [Fact]
    public void TrainsOnASliceOfRealFlowers()
    {
        var root = TestEnv.TempDir("flowers");
        var flowers = Path.Combine(TestEnv.Datasets, "flowers");
        var classes = Directory.GetDirectories(flowers).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        // 20 images per class for training (CSV manifest, absolute paths), the next 8 for a held-out evaluation.
        File.WriteAllLines(Path.Combine(root, "train.csv"), ["path,label", .. classes.SelectMany(c =>
            Directory.GetFiles(Path.Combine(flowers, c!)).Order(StringComparer.Ordinal).Take(20).Select(p => $"{p},{c}"))]);
        File.WriteAllLines(Path.Combine(root, "holdout.csv"), ["path,label", .. classes.SelectMany(c =>
            Directory.GetFiles(Path.Combine(flowers, c!)).Order(StringComparer.Ordinal).Skip(20).Take(8).Select(p => $"{p},{c}"))]);
        File.WriteAllText(Path.Combine(root, "cfg.yaml"), SmallConfig("train.csv", img: 48, epochs: 1));

        var train = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run", "--device", "cpu");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        Assert.Contains("data: 75 train / 25 val images (stratified hold-out of 25%, seed 0), 5 classes", train.Stdout);
        var eval = TestEnv.Podium(root, "evaluate", "--run", "run", "--data", "holdout.csv");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Contains("holdout.csv: 40 images, accuracy", eval.Stdout);
        var predict = TestEnv.Podium(root, "predict", "--run", "run", "--input", "holdout.csv", "--out", "sub.csv");
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        Assert.Equal(41, File.ReadAllLines(Path.Combine(root, "sub.csv")).Length);
    }

    [Fact]
    public void BadInputsGiveOneLineAndSkipOrStopAsConfigured()
    {
        var root = TestEnv.TempDir("badcli");
        SyntheticShapes.Generate(Path.Combine(root, "data"), trainPerClass: 8, testPerClass: 1, size: 24, seed: 3);
        var dog = Path.Combine(root, "data", "train", "circle");
        File.WriteAllBytes(Path.Combine(dog, "zero.png"), []);
        var png = File.ReadAllBytes(Directory.GetFiles(dog)[0]);
        File.WriteAllBytes(Path.Combine(dog, "cut.png"), png[..(png.Length / 2)]);
        File.WriteAllBytes(Path.Combine(dog, "anim.gif"), "GIF89a\u0001\0\u0001\0\0\0\0;"u8.ToArray());
        Directory.CreateDirectory(Path.Combine(root, "data", "train", "empty"));
        File.WriteAllText(Path.Combine(root, "cfg.yaml"), SmallConfig("data/train", img: 24, epochs: 1));

        var stop = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run-stop", "--set", "data.on_bad_input=stop");
        Assert.Equal(1, stop.ExitCode);
        AssertOneLine(stop, "(and 3 more bad inputs); set data.on_bad_input: skip");

        var skip = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run-skip");
        Assert.True(skip.ExitCode == 0, skip.Stderr);
        Assert.Contains("skipped 4 of 44 inputs: ", skip.Stdout);
        Assert.Contains("1 truncated PNG (no IEND chunk)", skip.Stdout);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(root, "run-skip", "skipped.csv")).Length);

        File.WriteAllText(Path.Combine(root, "typo.yaml"), "data: {train: data/train}\ntrain: {epochs: 1, optimiser: {name: sgd}}\n");
        AssertOneLine(TestEnv.Podium(root, "train", "typo.yaml"),
            "typo.yaml: line 2: unknown key 'optimiser' in 'train' (did you mean 'optimizer'?)");
        AssertOneLine(TestEnv.Podium(root, "train", "nope.yaml"), "nope.yaml: config file not found");
        AssertOneLine(TestEnv.Podium(root, "train", "cfg.yaml", "--set", "augment.train=[{flip: {}}]"),
            "augment.train[0]: unknown transform 'flip'");
        AssertOneLine(TestEnv.Podium(root, "evaluate", "--run", "no-such-run"), "no-such-run: no such run directory");
        if (!TorchSharp.torch.cuda.is_available())
            AssertOneLine(TestEnv.Podium(root, "train", "cfg.yaml", "--device", "cuda"), "--device cuda: no CUDA device is usable");

        File.WriteAllText(Path.Combine(root, "rows.csv"), "path,label\ndata/train/star/star_0000.png,star\ndata/missing.png,star\n");
        var predict = TestEnv.Podium(root, "predict", "--run", "run-skip", "--input", "rows.csv", "--out", "sub.csv");
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        Assert.Contains("skipped 1 inputs of rows.csv: 1 file not found: data/missing.png", predict.Stdout);
    }

    internal static void AssertOneLine(TestEnv.CliResult r, string expected)
    {
        Assert.Equal(1, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", r.Stdout + r.Stderr);
    }

    [Fact]
    public void QuickstartRunsTheWholePathOnItsOwnData()
    {
        var root = TestEnv.TempDir("quick");
        var r = Runs.QuickstartRunner.Run(root, ["train.epochs=1", "train.batch_size=16"], new(), trainPerClass: 16, testPerClass: 4);
        Assert.True(File.Exists(r.Submission));
        // The submission follows the sample's ids in order, names only known classes, and the reported score is its accuracy.
        var data = Path.Combine(root, "data");
        var submission = File.ReadAllLines(r.Submission).Select(l => l.Split(',')).ToArray();
        var sample = File.ReadAllLines(Path.Combine(data, "sample_submission.csv")).Select(l => l.Split(',')).ToArray();
        var truth = File.ReadAllLines(Path.Combine(data, "test_labels.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(a => a[0],
            a => a[1]);
        Assert.Equal(21, submission.Length);
        Assert.Equal(sample.Select(a => a[0]), submission.Select(a => a[0]));
        var classes = File.ReadAllLines(r.Train.Run.Classes).ToHashSet();
        Assert.All(submission.Skip(1), a => Assert.Contains(a[1], classes));
        Assert.Equal(submission.Skip(1).Count(a => truth[a[0]] == a[1]) / 20.0, r.TestAccuracy, 12);
        Assert.True(File.Exists(r.Train.Run.Report));
        Assert.True(File.Exists(r.EdaReport));
        Assert.Equal(5, Directory.GetDirectories(Path.Combine(root, "data", "train")).Length);
    }
}
