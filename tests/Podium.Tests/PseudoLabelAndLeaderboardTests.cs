using System.Globalization;
using Podium.Evaluation;
using Podium.Runs;

namespace Podium.Tests;

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
        var predictions = new PredictionFile(classes, Enumerable.Range(0, 12).Select(i => Path.Combine(root, "u", $"u{i}.png")).ToList(),
            hidden, p);
        foreach (var file in File.ReadAllLines(Path.Combine(root, "split.csv")).Skip(1).Select(l => Path.Combine(root,
            l.Split(',')[0])).Concat(predictions.Paths))
            TestEnv.WriteImage(file, 8, 8, OpenCvSharp.Scalar.All(100));
        var r = PseudoLabels.Run(predictions, Path.Combine(root, "split.csv"), 0.9, null, balance: true, Path.Combine(root, "out",
            "pseudo.csv"));
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
        var again = PseudoLabels.Run(predictions, Path.Combine(root, "out", "pseudo.csv"), 0.95, null, balance: false, Path.Combine(root,
            "out", "pseudo2.csv"));
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
        var predictions = new PredictionFile(["a", "b"], test.Select(i => Path.Combine(root, "img", $"{i}.png")).ToList(),
            test.Select(i => i % 2).ToArray(), p);
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
            var r = TestEnv.Podium(root, "submit-log", cv, "--public-score", pub[i].ToString(CultureInfo.InvariantCulture), "--note",
                $"try {i}");
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
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "submit-log", Path.Combine(root, "none"), "--public-score", "0.5"),
            "neither a run");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "lb", "--book", "missing.csv"), "no submissions recorded yet");
    }
}
