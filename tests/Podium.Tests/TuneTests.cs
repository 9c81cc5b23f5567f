using System.Text.Json;
using Podium.Tracking;

namespace Podium.Tests;

/// <summary>podium tune end to end: trials trained as runs of the store, a study Optuna's schema holds, a global budget that
/// a second worker respects, and bad spaces refused in one line before any trial is recorded.</summary>
public class TuneTests
{
    [Fact]
    public void TuneTrainsTrialsAsRunsKeepsTheBudgetAndRefusesABadSpace()
    {
        var root = TestEnv.ShapesProject("tune", trainPerClass: 4, seed: 31, configYaml: """
            seed: 0
            data: {train: data/train, val_split: 0.25, img_size: 32}
            model: {name: mobilenet_v3_small}
            train: {epochs: 2, batch_size: 8}
            """);
        File.WriteAllText(Path.Combine(root, "space.yaml"), """
            train.optimizer.lr: {float: [1.0e-4, 1.0e-2], log: true}
            train.optimizer.name: {choice: [sgd, adamw]}
            train.optimizer.momentum: {float: [0.8, 0.99], when: {train.optimizer.name: sgd}}
            """);
        var first = TestEnv.Podium(root, "tune", "cfg.yaml", "--space", "space.yaml", "--trials", "2", "--study", "shapes");
        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        Assert.Contains("study shapes in ", first.Stdout);
        Assert.Contains("2 trial(s) (2 complete); this worker ran 2", first.Stdout);

        var store = RunStore.Open(Path.Combine(root, "runs", "podium.db"));
        var studies = StudyStore.Open(store);
        var study = studies.CreateOrLoad("shapes", maximize: true, Tuning.SearchSpace.Load(Path.Combine(root, "space.yaml")).Fingerprint());
        var trials = studies.Trials(study);
        Assert.Equal([0, 1], trials.Select(t => t.Number));
        foreach (var t in trials)
        {
            // Each trial is a run of the store with the trial's parameters, and its value is the run's best val_accuracy.
            var run = store.List(new RunFilter { Name = $"trial-{t.Number}" }).Single();
            var details = store.Details(run.Id);
            Assert.Equal(t.Params["train.optimizer.lr"], double.Parse(details.Params["train.optimizer.lr"],
                System.Globalization.CultureInfo.InvariantCulture), 12);
            Assert.Equal(run.Best["val_accuracy"], t.Value!.Value, 9);
            Assert.Equal(2, t.Intermediate.Count);
            Assert.Equal(t.Params["train.optimizer.name"] == 0, details.Params.ContainsKey("train.optimizer.momentum"));
        }

        // A second worker on the spent budget runs nothing; a larger budget adds exactly the missing trial, here drawn by the
        // quasi-random sampler: its point for trial 2.
        var again = TestEnv.Podium(root, "tune", "cfg.yaml", "--space", "space.yaml", "--trials", "2", "--study", "shapes");
        Assert.Contains("this worker ran 0", again.Stdout);
        var more = TestEnv.Podium(root, "tune", "cfg.yaml", "--space", "space.yaml", "--trials", "3", "--study", "shapes",
            "--sampler", "qmc");
        Assert.Contains("3 trial(s) (3 complete); this worker ran 1", more.Stdout);
        Assert.Equal(new Tuning.QmcSampler(0).Suggest(Tuning.SearchSpace.Load(Path.Combine(root, "space.yaml")), [], 2),
            studies.Trials(study).Single(t => t.Number == 2).Params);

        // The report: best trial, importance and the plots; the best trial trained again from its own run's config.
        var report = TestEnv.Podium(root, "tune", "report", "shapes");
        Assert.True(report.ExitCode == 0, report.Stderr + report.Stdout);
        var best = studies.Trials(study).Where(t => t.Value is not null).MaxBy(t => t.Value)!;
        Assert.Contains($"best: trial {best.Number}, value ", report.Stdout);
        Assert.Matches(@"importance: train\.optimizer\.(lr|name) [01]\.\d\d, train\.optimizer\.(lr|name) ", report.Stdout);
        foreach (var png in new[] { "history.png", "importance.png", "parallel.png", "slice-train.optimizer.lr.png", "report.html" })
            Assert.True(new FileInfo(Path.Combine(root, "runs", "tune-shapes", "report", png)).Length > 2000, png);
        var retrain = TestEnv.Podium(root, "train", "--from-trial", "shapes/best", "--set", "train.epochs=1");
        Assert.True(retrain.ExitCode == 0, retrain.Stderr + retrain.Stdout);
        var retrained = store.List(new RunFilter { Name = $"shapes-trial-{best.Number}" }).Single();
        Assert.Equal(best.Params["train.optimizer.lr"], double.Parse(store.Details(retrained.Id).Params["train.optimizer.lr"],
            System.Globalization.CultureInfo.InvariantCulture), 12);
        Assert.Equal("1", store.Details(retrained.Id).Params["train.epochs"]);
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "--from-trial", "shapes/9"), "study shapes has trials 0 to 2");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "tune", "report", "nosuch"), "no study named nosuch");

        // Bad input: one line each, and nothing recorded for a misspelt key.
        File.WriteAllText(Path.Combine(root, "typo.yaml"), "train.optimzer.lr: {float: [1.0e-4, 1.0e-2], log: true}\n");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "tune", "cfg.yaml", "--space", "typo.yaml", "--study", "typo"),
            "unknown key 'optimzer' in 'train' (did you mean 'optimizer'?)");
        Assert.DoesNotContain("typo", JsonDocument.Parse(TestEnv.Podium(root, "runs", "list", "--format", "json").Stdout).RootElement
            .EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        File.WriteAllText(Path.Combine(root, "other.yaml"), "train.optimizer.lr: {float: [1.0e-3, 1.0e-1], log: true}\n");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "tune", "cfg.yaml", "--space", "other.yaml", "--study", "shapes"),
            "study shapes exists with another search space");
        File.WriteAllText(Path.Combine(root, "empty.yaml"), "");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "tune", "cfg.yaml", "--space", "empty.yaml"), "the search space is empty");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "tune", "cfg.yaml", "--space", "space.yaml", "--sampler", "grid"),
            "grid: train.optimizer.lr is continuous");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "tune", "cfg.yaml", "--space", "space.yaml", "--pruner", "hyper"),
            "--pruner hyper: unknown");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "tune", "cfg.yaml", "--space", "space.yaml", "--storage",
            "postgresql://podium@127.0.0.1:1/studies"), "not a usable run store");
    }
}
