namespace Podium.Tests;

public class CompetitionMetricTests
{
    [Fact]
    public void TheCompetitionMetricIsLoggedAndPicksTheBestEpoch()
    {
        var root = TestEnv.ShapesProject("metric", trainPerClass: 10, seed: 7, testPerClass: 1, configYaml: """
            seed: 0
            data: {train: data/train, val_split: 0.3, img_size: 32}
            model: {name: mobilenet_v3_small}
            train: {epochs: 4, batch_size: 8, metric: kappa_quadratic, metrics: [roc_auc, ece, log_loss]}
            """);
        var r = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("val_kappa_quadratic ", r.Stdout);
        var rows = File.ReadAllLines(Path.Combine(root, "run", "epochs.csv"));
        var header = rows[0].Split(',');
        // after loss, accuracy and macro F1; log_loss is val_loss
        Assert.Equal(["val_kappa_quadratic", "val_roc_auc", "val_ece"], header[5..8]);
        var kappa = rows.Skip(1).Select(l => double.Parse(l.Split(',')[5], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(rows.Skip(1), l => Assert.InRange(double.Parse(l.Split(',')[6], System.Globalization.CultureInfo.InvariantCulture), 0,
            1));
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
