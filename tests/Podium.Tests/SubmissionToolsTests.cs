using System.Globalization;
using System.Text.Json;
using Podium.Evaluation;

namespace Podium.Tests;

/// <summary>The last mile: test-time augmentation, per-class thresholds, saved probabilities.</summary>
public class SubmissionToolsTests
{
    [Fact]
    public void TtaSpecsNameTheirViews()
    {
        Assert.Equal(["hflip", "vflip"], TestTimeAugmentation.Parse("hflip, vflip", 64).Select(v => v.Name));
        Assert.Equal(["crop-tl", "crop-tr", "crop-bl", "crop-br", "crop-c"], TestTimeAugmentation.Parse("five-crop", 64).Select(v => v.Name));
        Assert.Equal(["scale-0.9", "scale-1.1"], TestTimeAugmentation.Parse("scales=0.9:1.0:1.1", 64).Select(v => v.Name)); // 1.0 is the plain view
        Assert.Contains("unknown view 'rot90'", Assert.Throws<PodiumException>(() => TestTimeAugmentation.Parse("hflip,rot90", 64)).Message);
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
        Assert.Contains("thresholds do not change", Assert.Throws<PodiumException>(() => ClassThresholds.Tune(truth, p, ["a", "b", "c"], "roc_auc")).Message);

        var root = TestEnv.TempDir("thresholds");
        var (model, newer) = (Path.Combine(root, "best.pt"), Path.Combine(root, "newer.pt"));
        File.WriteAllText(model, "the model they were tuned on");
        File.WriteAllText(newer, "a model trained on since");
        t.Save(Path.Combine(root, "t.json"), model);
        var back = ClassThresholds.Load(Path.Combine(root, "t.json"), model, ["a", "b", "c"]);
        Assert.Equal(t.Weights, back.Weights);
        // Thresholds are never applied to a model they were not tuned on.
        Assert.Contains("t.json: tuned on another model than newer.pt", Assert.Throws<PodiumException>(() => ClassThresholds.Load(Path.Combine(root, "t.json"), newer, ["a", "b", "c"])).Message);
    }

    [Fact]
    public void EvaluateWithTtaAndThresholdsThenPredictUsesThem()
    {
        var root = TestEnv.ShapesProject("tta", trainPerClass: 12, seed: 21, testPerClass: 2, configYaml: """
            seed: 0
            data: {train: data/train, val_split: 0.25, img_size: 32}
            train: {epochs: 2, batch_size: 8, metric: f1_macro}
            """);
        Assert.Equal(0, TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run").ExitCode);
        var e = TestEnv.Podium(root, "evaluate", "--run", "run", "--tta", "hflip,vflip,scales=0.9:1.1", "--tta-merge", "gmean", "--tune-thresholds");
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
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "predict", "--run", "run", "--input", "data/test", "--tta", "rot90"), "unknown view 'rot90'");
    }
}

public class CrossValidationAndEnsembleTests
{
    [Fact]
    public void CvTrainsEachFoldScoresOutOfFoldPredictsTheHeldOutTestAndResumes()
    {
        var root = TestEnv.ShapesProject("cv", trainPerClass: 12, seed: 31, testPerClass: 1, configYaml: """
            seed: 0
            data: {train: data/train, img_size: 32}
            train: {epochs: 2, batch_size: 8, metric: f1_macro}
            """);
        Assert.Equal(0, TestEnv.Podium(root, "split", "data/train", "--holdout", "0.6,0.2,0.2", "--out", "holdout.csv").ExitCode);
        var subsets = File.ReadAllLines(Path.Combine(root, "holdout.csv")).Skip(1).Select(l => l.Split(',')[^1]).ToList();
        int pool = subsets.Count(s => s != "test"), held = subsets.Count(s => s == "test");
        var r = TestEnv.Podium(root, "cv", "cfg.yaml", "--folds", "3", "--set", "data.split=holdout.csv", "--out", "cv");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains($"folds: 3 over the {pool} train and val rows of holdout.csv; its {held} test rows are the held-out test", r.Stdout);
        Assert.Contains("out of fold f1_macro: ", r.Stdout);
        Assert.Contains("test f1_macro: fold ensemble (mean probabilities) ", r.Stdout);
        // Every train/val image predicted exactly once, by the fold that did not train on it.
        var oof = PredictionFile.Read(Path.Combine(root, "cv", "oof.csv"));
        Assert.Equal(pool, oof.Count);
        Assert.Equal(pool, oof.Paths.Distinct().Count());
        var folds = File.ReadAllLines(Path.Combine(root, "cv", "folds.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(folds.GroupBy(f => f[^1]), g => Assert.InRange(g.Count(), pool / 3, pool / 3 + 1));
        var test = PredictionFile.Read(Path.Combine(root, "cv", "test.csv"));
        Assert.Equal(held, test.Count);
        Assert.True(test.Labelled);
        Assert.Equal(held + 1, File.ReadAllLines(Path.Combine(root, "cv", "submission.csv")).Length);
        using var cv = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "cv", "cv.json")));
        double oofScore = cv.RootElement.GetProperty("oof").GetDouble();
        Assert.Equal(Metrics.Compute("f1_macro", oof.Labels, oof.Probabilities), oofScore, 12);

        // Again: nothing is retrained, the figures are the same.
        var again = TestEnv.Podium(root, "cv", "cfg.yaml", "--folds", "3", "--set", "data.split=holdout.csv", "--out", "cv");
        Assert.True(again.ExitCode == 0, again.Stderr + again.Stdout);
        Assert.Contains("fold 2: finished before", again.Stdout);
        Assert.DoesNotContain("training (", again.Stdout);
        using var cv2 = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "cv", "cv.json")));
        Assert.Equal(oofScore, cv2.RootElement.GetProperty("oof").GetDouble());
    }

    /// <summary>A fake cv folder: oof.csv and test.csv whose probabilities are the truth plus noise.</summary>
    private static string Member(string root, string name, int seed, double noise, int[] truth, int[] testTruth)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        string[] classes = ["a", "b", "c"];
        PredictionFile Make(int[] labels, string prefix, bool labelled, Random rng)
        {
            var p = new float[labels.Length, 3];
            for (int i = 0; i < labels.Length; i++)
            {
                var z = Enumerable.Range(0, 3).Select(c => (c == labels[i] ? 1.0 : 0) + noise * (rng.NextDouble() * 2 - 1)).Select(Math.Exp).ToArray();
                for (int c = 0; c < 3; c++) p[i, c] = (float)(z[c] / z.Sum());
            }
            return new PredictionFile(classes, labels.Select((_, i) => $"/data/{prefix}{i:D3}.png").ToList(), labelled ? labels : labels.Select(_ => -1).ToArray(), p);
        }
        var rng = new Random(seed);
        Make(truth, "train", true, rng).Write(Path.Combine(dir, "oof.csv"));
        Make(testTruth, "test", false, rng).Write(Path.Combine(dir, "test.csv"));
        File.WriteAllText(Path.Combine(dir, "cv.json"), "{\"metric\": \"accuracy\"}");
        return dir;
    }

    [Fact]
    public void EnsemblesCombineMembersAndWriteASubmission()
    {
        var root = TestEnv.TempDir("ensemble");
        var truth = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();
        var testTruth = Enumerable.Range(0, 60).Select(i => i % 3).ToArray();
        var good = Member(root, "good", 1, 1.2, truth, testTruth);
        var fair = Member(root, "fair", 2, 1.6, truth, testTruth);
        var noise = Member(root, "noise", 3, 50, truth, testTruth); // no signal at all
        foreach (var method in Ensembles.Methods)
        {
            var r = TestEnv.Podium(root, "ensemble", good, fair, noise, "--method", method, "--out", $"{method}.csv");
            Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
            Assert.Contains($"{method} ensemble: accuracy ", r.Stdout);
            var sub = File.ReadAllLines(Path.Combine(root, $"{method}.csv"));
            Assert.Equal("id,label", sub[0]);
            Assert.Equal(61, sub.Length);
            Assert.Equal("test000", sub[1].Split(',')[0]);
        }
        // Fitted weights leave the noise member out; stacking learns to ignore it too and beats the plain mean.
        var weighted = TestEnv.Podium(root, "ensemble", good, fair, noise, "--method", "weighted", "--out", "w.csv");
        var weights = weighted.Stdout.Split('\n').Single(l => l.StartsWith("weights: ", StringComparison.Ordinal))["weights: ".Length..].Split(", ")
            .Select(part => double.Parse(part[(part.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).ToArray();
        Assert.True(weights[2] < 0.1 && weights[2] < weights[0], string.Join(", ", weights));
        double Score(string method) => JsonDocument.Parse(File.ReadAllText(Path.Combine(root, $"{method}.ensemble.json"))).RootElement.GetProperty("score").GetDouble();
        Assert.True(Score("stack") > Score("soft"), $"stack {Score("stack")} vs soft {Score("soft")}");

        // Probability submissions when the sample's columns are the classes; mismatched ids are refused with counts.
        File.WriteAllLines(Path.Combine(root, "sample.csv"), ["id,c,a,b", .. testTruth.Select((_, i) => $"test{i:D3},0,0,0")]);
        Assert.Equal(0, TestEnv.Podium(root, "ensemble", good, fair, "--out", "probs.csv", "--sample", "sample.csv").ExitCode);
        var probs = File.ReadAllLines(Path.Combine(root, "probs.csv"));
        Assert.Equal("id,c,a,b", probs[0]);
        Assert.Equal(1.0, probs[1].Split(',').Skip(1).Sum(v => double.Parse(v, CultureInfo.InvariantCulture)), 4);
        File.WriteAllLines(Path.Combine(root, "short.csv"), ["id,label", .. testTruth.Skip(2).Select((_, i) => $"test{i + 2:D3},a"), "other1,a"]);
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "ensemble", good, fair, "--out", "x.csv", "--sample", "short.csv"), "ids do not match the predictions: 1 missing, 2 extra");
    }
}

public class PseudoLabelAndLeaderboardTests
{
    [Fact]
    public void PseudoLabelsKeepConfidentImagesInTheLabelledBalanceOnTheTrainingSide()
    {
        var root = TestEnv.TempDir("pseudo");
        // A labelled split with classes a:b = 2:1, and predictions for 12 unlabelled images (hidden labels known).
        File.WriteAllLines(Path.Combine(root, "split.csv"), ["path,label,subset",
            .. Enumerable.Range(0, 8).Select(i => $"l/a{i}.png,a,train"), .. Enumerable.Range(0, 4).Select(i => $"l/b{i}.png,b,train"),
            "l/va.png,a,val", "l/vb.png,b,val"]);
        string[] classes = ["a", "b"];
        float[] pa = [0.99f, 0.97f, 0.95f, 0.93f, 0.91f, 0.92f, 0.94f, 0.96f, 0.05f, 0.3f, 0.5f, 0.6f];
        var p = new float[12, 2];
        for (int i = 0; i < 12; i++) { p[i, 0] = pa[i]; p[i, 1] = 1 - pa[i]; }
        int[] hidden = [0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0];
        var predictions = new PredictionFile(classes, Enumerable.Range(0, 12).Select(i => Path.Combine(root, "u", $"u{i}.png")).ToList(), hidden, p);
        foreach (var file in File.ReadAllLines(Path.Combine(root, "split.csv")).Skip(1).Select(l => Path.Combine(root, l.Split(',')[0])).Concat(predictions.Paths))
            TestEnv.WriteImage(file, 8, 8, OpenCvSharp.Scalar.All(100));
        var r = PseudoLabels.Run(predictions, Path.Combine(root, "split.csv"), 0.9, null, balance: true, Path.Combine(root, "out", "pseudo.csv"));
        // Confident: a 8, b 1. Each class may take its labelled share (a:b = 9:5) of the 9 available, rounded up:
        // a at most 6, b at most 4 (it has 1, and keeps it).
        Assert.Equal([("a", 8, 6), ("b", 1, 1)], r.PerClass.Select(c => (c.Class, c.Confident, c.Kept)));
        var rows = File.ReadAllLines(Path.Combine(root, "out", "pseudo.csv"));
        Assert.Equal("path,label,subset,pseudo", rows[0]);
        Assert.Equal(14 + 7, rows.Length - 1);
        Assert.All(rows.Skip(15), l => Assert.EndsWith(",train,1", l));
        Assert.StartsWith("../l/a0.png,a,train,0", rows[1]); // labelled paths still point at their files
        Assert.Equal(6.0 / 7, r.Accuracy!.Value, 9); // u3 (0.93 for a) is really b
        // The file reads as a split: the pseudo rows are training rows, validation is untouched.
        var split = Data.SplitFile.Read(Path.Combine(root, "out", "pseudo.csv"), null);
        Assert.Equal((19, 2), (split.Train.Length, split.Val.Length));

        // A second round on its own output replaces the first round's pseudo rows.
        var again = PseudoLabels.Run(predictions, Path.Combine(root, "out", "pseudo.csv"), 0.95, null, balance: false, Path.Combine(root, "out", "pseudo2.csv"));
        Assert.Equal(14 + again.Kept, File.ReadAllLines(Path.Combine(root, "out", "pseudo2.csv")).Length - 1);
        Assert.Equal(4 + 1, again.Kept); // a: 0.99, 0.97, 0.96, 0.95; b: 0.95
    }

    [Fact]
    public void HeldOutTestImagesCanBePseudoLabelledAndStayTheTest()
    {
        // A rehearsal: the test rows of a subset split play the unlabelled data. Their pseudo-labelled copies
        // train; the test rows stay test rows; cv keeps the copies out of every validation fold.
        var root = TestEnv.TempDir("pseudo-test");
        var lines = new List<string> { "path,label,subset" };
        for (int i = 0; i < 30; i++) lines.Add($"img/{i}.png,{(i % 2 == 0 ? "a" : "b")},{(i < 20 ? "train" : i < 24 ? "val" : "test")}");
        File.WriteAllLines(Path.Combine(root, "split.csv"), lines);
        for (int i = 0; i < 30; i++) TestEnv.WriteImage(Path.Combine(root, "img", $"{i}.png"), 8, 8, OpenCvSharp.Scalar.All(i * 5));
        var test = Enumerable.Range(24, 6).ToArray();
        var p = new float[6, 2];
        for (int j = 0; j < 6; j++) { p[j, test[j] % 2] = 0.95f; p[j, 1 - test[j] % 2] = 0.05f; }
        var predictions = new PredictionFile(["a", "b"], test.Select(i => Path.Combine(root, "img", $"{i}.png")).ToList(), test.Select(i => i % 2).ToArray(), p);
        var r = PseudoLabels.Run(predictions, Path.Combine(root, "split.csv"), 0.9, null, balance: true, Path.Combine(root, "pseudo.csv"));
        Assert.Equal(6, r.Kept);
        Assert.Equal(1.0, r.Accuracy);
        var split = Data.SplitFile.Read(Path.Combine(root, "pseudo.csv"), null);
        Assert.Equal((26, 4, 6, 6), (split.Train.Length, split.Val.Length, split.Test.Length, split.Pseudo!.Length));
        // The same six images are both test rows and (pseudo-labelled) training rows.
        Assert.Equal(split.Test.Select(split.Data.Locate).Order(), split.Pseudo.Select(split.Data.Locate).Order());
        Assert.All(split.Pseudo, i => Assert.Contains(i, split.Train));
    }

    [Fact]
    public void TheLeaderboardRelatesValidationToPublicScores()
    {
        var root = TestEnv.TempDir("lb");
        double[] val = [0.80, 0.83, 0.85, 0.84, 0.88], pub = [0.78, 0.80, 0.83, 0.81, 0.86];
        for (int i = 0; i < val.Length; i++)
        {
            var cv = Path.Combine(root, $"cv{i}");
            Directory.CreateDirectory(cv);
            File.WriteAllText(Path.Combine(cv, "cv.json"), FormattableString.Invariant($"{{\"metric\": \"accuracy\", \"oof\": {val[i]}}}"));
            var r = TestEnv.Podium(root, "submit-log", cv, "--public-score", pub[i].ToString(CultureInfo.InvariantCulture), "--note", $"try {i}");
            Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        }
        var lb = TestEnv.Podium(root, "lb");
        Assert.True(lb.ExitCode == 0, lb.Stderr + lb.Stdout);
        double pearson = Leaderboard.Pearson(val, pub);
        Assert.Contains(FormattableString.Invariant($"Pearson {pearson:F3}"), lb.Stdout);
        Assert.Contains("Spearman 1.000", lb.Stdout);
        Assert.Contains("same direction in 100% of consecutive changes", lb.Stdout);
        using (var png = OpenCvSharp.Cv2.ImRead(Path.Combine(root, "leaderboard.png"))) Assert.Equal(800, png.Width);
        Assert.Contains("try 4", File.ReadAllText(Path.Combine(root, "leaderboard.html")));
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "submit-log", Path.Combine(root, "none"), "--public-score", "0.5"), "neither a run");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "lb", "--book", "missing.csv"), "no submissions recorded yet");
    }
}
