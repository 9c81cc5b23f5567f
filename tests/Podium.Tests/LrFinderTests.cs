namespace Podium.Tests;

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
        var root = TestEnv.ShapesProject("lrfind", trainPerClass: 8, seed: 2, testPerClass: 1,
            configYaml: "data: {train: data/train, img_size: 32}\nmodel: {name: mobilenet_v3_small}\ntrain: {batch_size: 8}\n");
        var r = TestEnv.Podium(root, "lr-find", "cfg.yaml", "--steps", "20", "--start", "1e-5", "--end", "1", "--out", "lrf");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("suggested lr: ", r.Stdout);
        var rows = File.ReadAllLines(Path.Combine(root, "lrf", "lr_find.csv"));
        Assert.Equal("step,lr,loss,smoothed_loss", rows[0]);
        Assert.InRange(rows.Length - 1, 2, 20);
        Assert.Equal(1e-5, double.Parse(rows[1].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture), 12);
        Assert.True(File.Exists(Path.Combine(root, "lrf", "lr_find.png")));
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "lr-find", "cfg.yaml", "--start", "1", "--end", "0.1"),
            "must be positive and increasing");
    }
}
