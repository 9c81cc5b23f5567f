using System.Globalization;
using System.Text.Json;
using Podium.Evaluation;

namespace Podium.Tests;

public class CrossValidationAndEnsembleTests
{
    [Fact]
    public void CvTrainsEachFoldScoresOutOfFoldPredictsTheHeldOutTestAndResumes()
    {
        var root = TestEnv.ShapesProject("cv", trainPerClass: 12, seed: 31, testPerClass: 1, configYaml: """
            seed: 0
            data: {train: data/train, img_size: 32}
            model: {name: mobilenet_v3_small}
            train: {epochs: 2, batch_size: 8, metric: f1_macro}
            """);
        Assert.Equal(0, TestEnv.Podium(root, "split", "data/train", "--holdout", "0.6,0.2,0.2", "--out", "holdout.csv").ExitCode);
        var subsets = File.ReadAllLines(Path.Combine(root, "holdout.csv")).Skip(1).Select(l => l.Split(',')[^1]).ToList();
        int pool = subsets.Count(s => s != "test"), held = subsets.Count(s => s == "test");
        var r = TestEnv.Podium(root, "cv", "cfg.yaml", "--folds", "3", "--set", "data.split=holdout.csv", "--out", "cv");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains($"folds: 3 over the {pool} train and val rows of holdout.csv; its {held} test rows are the held-out test",
            r.Stdout);
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
                var z = Enumerable.Range(0,
                    3).Select(c => (c == labels[i] ? 1.0 : 0) + noise * (rng.NextDouble() * 2 - 1)).Select(Math.Exp).ToArray();
                for (int c = 0; c < 3; c++) p[i, c] = (float)(z[c] / z.Sum());
            }
            return new PredictionFile(classes, labels.Select((_, i) => $"/data/{prefix}{i:D3}.png").ToList(),
                labelled ? labels : labels.Select(_ => -1).ToArray(), p);
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
        var weights = weighted.Stdout.Split('\n').Single(l => l.StartsWith("weights: ",
            StringComparison.Ordinal))["weights: ".Length..].Split(", ")
            .Select(part => double.Parse(part[(part.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).ToArray();
        Assert.True(weights[2] < 0.1 && weights[2] < weights[0], string.Join(", ", weights));
        double Score(string method) => JsonDocument.Parse(File.ReadAllText(Path.Combine(root,
            $"{method}.ensemble.json"))).RootElement.GetProperty("score").GetDouble();
        Assert.True(Score("stack") > Score("soft"), $"stack {Score("stack")} vs soft {Score("soft")}");

        // Probability submissions when the sample's columns are the classes; mismatched ids are refused with counts.
        File.WriteAllLines(Path.Combine(root, "sample.csv"), ["id,c,a,b", .. testTruth.Select((_, i) => $"test{i:D3},0,0,0")]);
        Assert.Equal(0, TestEnv.Podium(root, "ensemble", good, fair, "--out", "probs.csv", "--sample", "sample.csv").ExitCode);
        var probs = File.ReadAllLines(Path.Combine(root, "probs.csv"));
        Assert.Equal("id,c,a,b", probs[0]);
        Assert.Equal(1.0, probs[1].Split(',').Skip(1).Sum(v => double.Parse(v, CultureInfo.InvariantCulture)), 4);
        File.WriteAllLines(Path.Combine(root, "short.csv"), ["id,label", .. testTruth.Skip(2).Select((_, i) => $"test{i + 2:D3},a"),
            "other1,a"]);
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "ensemble", good, fair, "--out", "x.csv", "--sample", "short.csv"),
            "ids do not match the predictions: 1 missing, 2 extra");
    }
}
