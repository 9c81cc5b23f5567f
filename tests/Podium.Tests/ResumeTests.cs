using System.Diagnostics;

namespace Podium.Tests;

/// <summary>A run killed with SIGKILL mid-epoch and resumed ends exactly as the uninterrupted run.</summary>
public class ResumeTests
{
    [Theory]
    [InlineData("{name: adamw, lr: 0.002}", "{name: onecycle, warmup: 0.2}", "ema: {decay: 0.9}")]
    [InlineData("{name: lion, lr: 0.0003, weight_decay: 0.1}", "{name: plateau, patience: 0, factor: 0.5}",
        "early_stopping: {patience: 3}")]
    public void KilledMidEpochThenResumedMatchesTheUninterruptedRun(string optimizer, string scheduler, string extra)
    {
        var root = TestEnv.ShapesProject("resume", trainPerClass: 16, seed: 9, configYaml: $"""
            seed: 1
            deterministic: true
            data: {"{"}train: data/train, img_size: 32, workers: 2{"}"}
            model: {"{"}name: mobilenet_v3_small{"}"}
            train:
              epochs: 3
              batch_size: 8
              monitor: val_loss
              optimizer: {optimizer}
              scheduler: {scheduler}
              {extra}
            augment:
              train: [{"{"}random_resized_crop: {"{"}size: 32{"}"}{"}"}, horizontal_flip]
            """);
        Assert.Equal(0, TestEnv.Podium(root, "train", "cfg.yaml", "--out", "whole").ExitCode);

        // The same run, killed (SIGKILL) once epoch 2 is under way.
        using (var p = TestEnv.StartPodium(root, "train", "cfg.yaml", "--out", "killed"))
        {
            var metrics = Path.Combine(root, "killed", "metrics.csv");
            var clock = Stopwatch.StartNew();
            while (!(File.Exists(metrics) && File.ReadAllLines(metrics).Skip(1).Count(l => l.Split(',')[1] == "2") >= 3))
            {
                Assert.False(p.HasExited, "the run ended before it could be killed");
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "epoch 2 never started");
                Thread.Sleep(10);
            }
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        // Epoch 1 is the last complete set, unless busy cores let epoch 2 (8 small steps) end before the kill landed.
        var saved = System.Text.RegularExpressions.Regex.Match(
            File.ReadAllText(Path.Combine(root, "killed", "checkpoints", "resume.json")), "\"epoch\": (\\d+)").Groups[1].Value;
        Assert.Contains(saved, new[] { "1", "2" });

        // The store marks the killed run so (its process is gone) with what it logged, and the resume continues that record.
        var record = System.Text.Json.JsonDocument.Parse(TestEnv.Podium(root, "runs", "list", "--name", "killed", "--format", "json")
            .Stdout).RootElement.EnumerateArray().Single();
        Assert.Equal("killed", record.GetProperty("status").GetString());
        var id = record.GetProperty("id").GetString()!;

        var resumed = TestEnv.Podium(root, "train", "--resume", "killed");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);
        Assert.Contains($"resuming after epoch {saved} of 3", resumed.Stdout);

        byte[] Bytes(string run, string file) => File.ReadAllBytes(Path.Combine(root, run, file));
        Assert.Equal(Bytes("whole", "checkpoints/last.pt"), Bytes("killed", "checkpoints/last.pt"));
        Assert.Equal(Bytes("whole", "checkpoints/best.pt"), Bytes("killed", "checkpoints/best.pt"));
        string Columns(string run, string file, int n) => string.Join('\n',
            File.ReadAllLines(Path.Combine(root, run, file)).Select(l => string.Join(',', l.Split(',')[..n])));
        Assert.Equal(Columns("whole", "epochs.csv", 5), Columns("killed", "epochs.csv", 5));
        Assert.Equal(Columns("whole", "metrics.csv", 4), Columns("killed", "metrics.csv", 4));
        var show = System.Text.Json.JsonDocument.Parse(TestEnv.Podium(root, "runs", "show", id, "--format", "json").Stdout).RootElement;
        Assert.Equal("finished", show.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal(File.ReadAllLines(Path.Combine(root, "killed", "metrics.csv")).Length - 1, show.GetProperty("steps").GetInt64());
        // TensorBoard: the resumed file opens with a session start at the first re-trained step (8 steps an epoch), which drops
        // what the killed epoch had logged; after it, the resumed losses are the uninterrupted run's.
        Assert.Equal(int.Parse(saved) * 8L, Assert.Single(TfEventReader.Read(Path.Combine(root, "killed")).SessionStarts));
        float[] Losses(string run) => [.. TfEventReader.Read(Path.Combine(root, run)).Values.Where(v => v.Tag == "train/loss")
            .GroupBy(v => v.Step).OrderBy(g => g.Key).Select(g => TfEventReader.Float(g.Last().Fields[2][0]))];
        Assert.Equal(Losses("whole"), Losses("killed"));

        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "--resume", "whole"), "nothing to resume");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "--resume", "killed", "--set", "train.epochs=9"),
            "leave out CONFIG, --set, --out and --overwrite");
    }
}
