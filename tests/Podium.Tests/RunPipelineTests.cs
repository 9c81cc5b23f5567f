using System.Text.Json;
using Podium.Config;
using Podium.Platform;
using Podium.Quickstart;
using Podium.Runs;
using Podium.Training;

namespace Podium.Tests;

/// <summary>
/// The one run pipeline: every task trains through it (callbacks, loggers, summary and report alike), training steps
/// and validation leave no Scalar or tensor to the finalizer, and run folders never mix two runs.
/// </summary>
[Collection(nameof(GlobalTorchRng))]
public class RunPipelineTests
{
    /// <summary>Counts finalized Scalars and tensor wrappers from the start of the fit (after a settle) to its end.</summary>
    private sealed class FinalizationWatch : ITrainerCallback, IDisposable
    {
        private readonly TorchFinalizations _counter = new();
        private (long Scalars, long Tensors) _start;

        public (long Scalars, long Tensors) During { get; private set; } = (-1, -1);

        public void OnFitStart(TrainerState state) => _start = _counter.Settle();

        public void OnFitEnd(TrainerState state)
        {
            var end = _counter.Settle();
            During = (end.Scalars - _start.Scalars, end.Tensors - _start.Tensors);
        }

        public void Dispose() => _counter.Dispose();
    }

    [Fact]
    public void ClassificationWithEmaAccumulationAndClippingLeavesNothingToTheFinalizer()
    {
        var root = TestEnv.ShapesProject("pipeline-cls", trainPerClass: 10, seed: 4, configYaml: "");
        var config = ConfigLoader.Parse($$"""
            seed: 1
            data: {train: {{Path.Combine(root, "data", "train")}}, img_size: 32, val_split: 0.3}
            model: {name: mobilenet_v3_small}
            train:
              epochs: 2
              batch_size: 8
              accumulate: 2
              clip_grad: {norm: 1.0}
              ema: {decay: 0.9}
              metrics: [kappa]
            augment:
              batch: {mixup_alpha: 0.2, prob: 0.5}
            """, "cls.yaml");
        using var watch = new FinalizationWatch();
        var lines = new List<string>();
        var outcome = TrainingPipeline.Train(config, Path.Combine(root, "run"), new RunOptions { Log = lines.Add, Callbacks = [watch] });
        Assert.Equal((0L, 0L), watch.During);
        Assert.InRange(outcome.BestEpoch, 1, 2);
        var header = File.ReadLines(Path.Combine(root, "run", "epochs.csv")).First();
        Assert.Equal("epoch,train_loss,val_loss,val_accuracy,val_f1_macro,val_kappa,seconds,data_wait_seconds,rss_mb", header);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "run", "summary.json")));
        Assert.Equal("classification", Task(root));
        Assert.True(summary.RootElement.GetProperty("environment").GetProperty("cores").GetInt32() >= 1);
        Assert.Contains(lines, l => l.StartsWith("data: ", StringComparison.Ordinal) && l.Contains(", 5 classes; run: "));
    }

    [Fact]
    public void MixedPrecisionFreezingAndAPlateauScheduleLeaveNothingToTheFinalizer()
    {
        var root = TestEnv.ShapesProject("pipeline-bf16", trainPerClass: 8, seed: 5, configYaml: "");
        var config = ConfigLoader.Parse($$"""
            seed: 2
            data: {train: {{Path.Combine(root, "data", "train")}}, img_size: 32, val_split: 0.3}
            model:
              name: resnet18
              freeze: backbone
              unfreeze: [{epoch: 2, pattern: layer4}]
            train:
              epochs: 2
              batch_size: 8
              precision: bf16
              channels_last: true
              optimizer: {name: sgd, lr: 0.01}
              scheduler: {name: plateau, patience: 0}
              early_stopping: {patience: 4}
            """, "bf16.yaml");
        using var watch = new FinalizationWatch();
        var lines = new List<string>();
        TrainingPipeline.Train(config, Path.Combine(root, "run"), new RunOptions { Log = lines.Add, Callbacks = [watch] });
        Assert.Equal((0L, 0L), watch.During);
        Assert.Contains(lines, l => l.StartsWith("compute: bf16, channels-last copy", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("epoch 2: ", StringComparison.Ordinal) && l.Contains(" parameter tensors train",
            StringComparison.Ordinal));
        // The resolved config says what the plateau schedule watched and which way.
        var saved = ConfigLoader.Load(Path.Combine(root, "run", "config.yaml"));
        var plateau = (ReduceOnPlateau.Options)LrSchedule.Registry.Options(saved.Train.Scheduler, "train.scheduler");
        Assert.Equal(("val_accuracy", "max"), (plateau.Metric, plateau.Mode));
    }

    [Fact]
    public void TextDetectionTrainsThroughTheSamePipelineWithTheSameRecords()
    {
        var root = TestEnv.TempDir("pipeline-det");
        SyntheticDocuments.Generate(Path.Combine(root, "docs"), 12, 128, 128, seed: 3);
        var config = ConfigLoader.Parse($$"""
            seed: 0
            data: {train: {{Path.Combine(root, "docs")}}, val_split: 0.25, img_size: 128}
            model: {name: mobilenet_v3_small}
            train:
              epochs: 2
              batch_size: 4
              early_stopping: {patience: 5}
            augment:
              train:
                - text_safe_crop: {size: 128, min_crop_side_ratio: 0.5}
            ocr: {neck: unet, inner: 32, eval_size: 128}
            """, "det.yaml");
        using var watch = new FinalizationWatch();
        var outcome = TrainingPipeline.Train(config, Path.Combine(root, "run"), new RunOptions { Callbacks = [watch] });
        Assert.Equal((0L, 0L), watch.During);
        Assert.IsType<Tasks.Detection.DetectionOutcome>(outcome.Task);
        Assert.Equal("text_detection", Task(root));
        var rows = File.ReadAllLines(Path.Combine(root, "run", "epochs.csv"));
        // no classification columns
        Assert.Equal("epoch,train_loss,val_hmean,val_precision,val_recall,seconds,data_wait_seconds,rss_mb", rows[0]);
        Assert.Equal(3, rows.Length);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "run", "summary.json")));
        Assert.Equal("val_hmean", summary.RootElement.GetProperty("monitor").GetString());
        // every task records where it ran
        Assert.Equal("cpu", summary.RootElement.GetProperty("environment").GetProperty("device").GetString());
        Assert.Contains("validation hmean", File.ReadAllText(Path.Combine(root, "run", "report.html")));
    }

    [Fact]
    public void TheLrRangeTestRunsForEveryTask()
    {
        var root = TestEnv.TempDir("lr-find-det");
        SyntheticDocuments.Generate(Path.Combine(root, "docs"), 8, 128, 128, seed: 4);
        File.WriteAllText(Path.Combine(root, "cfg.yaml"), """
            data: {train: docs, val_split: 0.25, img_size: 128}
            model: {name: mobilenet_v3_small}
            train: {batch_size: 2}
            augment: {train: [{text_safe_crop: {size: 128}}]}
            ocr: {neck: unet, inner: 32}
            """);
        var r = TestEnv.Podium(root, "lr-find", "cfg.yaml", "--steps", "12", "--out", "lr");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("suggested lr:", r.Stdout);
        var rows = File.ReadAllLines(Path.Combine(root, "lr", "lr_find.csv"));
        Assert.InRange(rows.Length - 1, 2, 12); // fewer when the loss exploded first
        Assert.True(File.Exists(Path.Combine(root, "lr", "lr_find.png")));
    }

    [Fact]
    public void ARunFolderHoldsOneRunOnly()
    {
        var root = TestEnv.ShapesProject("folders", trainPerClass: 6, seed: 7, configYaml: """
            data: {train: data/train, img_size: 32}
            model: {name: mobilenet_v3_small}
            train: {epochs: 1, batch_size: 8}
            """);
        var first = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run");
        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        // Training onto a finished run refuses, naming what is there and the way out.
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run"), "run: holds another run (");
        Assert.True(File.Exists(Path.Combine(root, "run", "checkpoints", "best.pt")));

        // --overwrite replaces it whole: nothing of the old model (its tuned thresholds) survives beside the new one.
        File.WriteAllText(Path.Combine(root, "run", "thresholds.json"), "{}");
        var again = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run", "--overwrite");
        Assert.True(again.ExitCode == 0, again.Stderr + again.Stdout);
        Assert.False(File.Exists(Path.Combine(root, "run", "thresholds.json")));

        // A folder another training holds is refused at once, overwrite or not.
        using (new FileStream(Path.Combine(root, "run", ".podium-run.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run", "--overwrite"),
                "another podium process is training into this run folder");
        Assert.True(File.Exists(Path.Combine(root, "run", "checkpoints", "best.pt")));
        // Without --out a taken name gets the next free one.
        var next = TestEnv.Podium(root, "train", "cfg.yaml");
        Assert.True(next.ExitCode == 0, next.Stderr + next.Stdout);
        Assert.Contains($"run: {Path.Combine(root, "runs", "cfg")}", next.Stdout);
    }

    [Fact]
    public void ResumingClearsWhatKilledWritesLeftButNotALiveProcessTemps()
    {
        var root = TestEnv.TempDir("stale-temps");
        var checkpoints = Directory.CreateDirectory(Path.Combine(root, "checkpoints")).FullName;
        int dead = DeadPid();
        var leftovers = new[] { Path.Combine(checkpoints, $".best.pt.{dead}.tmp"), Path.Combine(root, $".epochs.csv.{dead}.tmp") };
        foreach (var f in leftovers) File.WriteAllText(f, "half a write");
        var set = Directory.CreateDirectory(Path.Combine(checkpoints, $"resume-3.{dead}.tmp")).FullName;
        File.WriteAllText(Path.Combine(set, "model.pt"), "half");
        var live = Path.Combine(root, $".evaluation.json.{Environment.ProcessId}.tmp"); // an evaluate writing beside the run
        File.WriteAllText(live, "being written");
        File.WriteAllText(Path.Combine(root, "config.yaml"), "kept");
        using (RunFolder.Claim(root, resume: true))
        {
            Assert.All(leftovers, f => Assert.False(File.Exists(f), f));
            Assert.False(Directory.Exists(set));
            Assert.True(File.Exists(live));
            Assert.True(File.Exists(Path.Combine(root, "config.yaml")));
        }
    }

    /// <summary>A process id no process has now (a child that has exited).</summary>
    private static int DeadPid()
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    [Fact]
    public void ASavedConfigRerunsTheRunFromAnyDirectory()
    {
        var root = TestEnv.ShapesProject("rerun", trainPerClass: 6, seed: 8, configYaml: """
            deterministic: true
            data: {train: data/train, img_size: 32, normalize: auto}
            model: {name: mobilenet_v3_small}
            train: {epochs: 1, batch_size: 8}
            """);
        var elsewhere = TestEnv.TempDir("elsewhere");
        // Paths in a config file are relative to the file, whatever the working directory.
        var first = TestEnv.Podium(elsewhere, "train", Path.Combine(root, "cfg.yaml"), "--out", Path.Combine(root, "run"));
        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        // The saved config is the resolved one: absolute paths, the measured statistics, the task and its monitor.
        var saved = ConfigLoader.Load(Path.Combine(root, "run", "config.yaml"));
        Assert.Equal(Path.Combine(root, "data", "train"), saved.Data.Train);
        Assert.Null(saved.Data.Normalize);
        Assert.Equal(("classification", "val_accuracy"), (saved.Task, saved.Train.Monitor));
        // Trained again from it, in yet another directory, the run repeats step for step.
        var again = TestEnv.Podium(TestEnv.TempDir("another"), "train", Path.Combine(root, "run", "config.yaml"), "--out",
            Path.Combine(root, "again"));
        Assert.True(again.ExitCode == 0, again.Stderr + again.Stdout);
        string[] Losses(string run) => [.. File.ReadAllLines(Path.Combine(root, run, "metrics.csv")).Select(l => string.Join(',',
            l.Split(',')[..4]))];
        Assert.Equal(Losses("run"), Losses("again"));
        Assert.Equal(File.ReadAllText(Path.Combine(root, "run", "config.yaml")),
            File.ReadAllText(Path.Combine(root, "again", "config.yaml")));
    }

    private static string Task(string root) =>
        ConfigLoader.Load(Path.Combine(root, "run",
            "config.yaml")).Task ?? throw new InvalidOperationException("the saved config names no task");
}
