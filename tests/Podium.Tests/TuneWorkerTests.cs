using System.Collections.Concurrent;
using System.Diagnostics;
using Podium.Tracking;

namespace Podium.Tests;

/// <summary>Many workers on one study, as on many machines: four podium tune processes share a study on PostgreSQL (a
/// throwaway cluster) or SQLite; one is SIGKILLed mid-trial and restarted later. Every trial number exists once, the dead
/// trial is failed after its grace period and retried, and the global budget holds.</summary>
public class TuneWorkerTests
{
    private const int Budget = 7;

    [Theory]
    [InlineData("postgresql")]
    [InlineData("sqlite")]
    public async Task FourWorkersShareAStudyAndAKilledWorkersTrialIsRetried(string kind)
    {
        var root = TestEnv.ShapesProject("workers", trainPerClass: 2, seed: 5, configYaml: """
            seed: 0
            data: {train: data/train, val_split: 0.25, img_size: 32}
            model: {name: mobilenet_v3_small}
            train: {epochs: 3, batch_size: 6}
            """);
        File.WriteAllText(Path.Combine(root, "space.yaml"), """
            train.optimizer.lr: {float: [1.0e-4, 1.0e-2], log: true}
            train.loss.label_smoothing: {float: [0, 0.2]}
            """);
        var storage = kind == "sqlite" ? Path.Combine(root, "study.db") : PostgresServer.Instance.NewDatabase("workers");
        var logs = new ConcurrentDictionary<int, ConcurrentQueue<string>>();
        // One thread per worker: four single-threaded trainings share the two cores without spinning against each other.
        Process Worker(int w) => TestEnv.StartPodium(root, line => logs.GetOrAdd(w, _ => new()).Enqueue(line), "tune", "cfg.yaml",
            "--space", "space.yaml", "--trials", $"{Budget}", "--study", "shared", "--storage", storage, "--threads", "1",
            "--pruner", "none", "--heartbeat", "0.5", "--grace", "3", "--retries", "1");
        var workers = Enumerable.Range(0, 4).Select(Worker).ToList();
        var studies = StudyStore.Open(RunStore.Open(storage));

        // The first worker's first trial, once it has trained a while: SIGKILL, the trial left RUNNING.
        var victim = workers[0];
        var clock = Stopwatch.StartNew();
        StudyTrial? killed = null;
        while (killed is null)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "no trial of worker 0 started: " +
                string.Join("\n", logs.GetValueOrDefault(0) ?? []));
            await Task.Delay(200);
            Assert.False(workers.Any(w => w.HasExited), "a worker stopped early: " + string.Join("\n", logs.Values.SelectMany(l => l)));
            if (studies.Find("shared") is not { } id) continue;
            killed = studies.Trials(id).FirstOrDefault(t => t.State == "RUNNING"
                && t.Attribute("podium:worker")?.GetValue<string>().EndsWith($":{victim.Id}", StringComparison.Ordinal) == true
                && t.Intermediate.Count > 0);
        }
        victim.Kill();
        await victim.WaitForExitAsync();
        // Restarted once the others are at work on later trials: it joins the same study and carries on.
        await Task.Delay(2000);
        workers[0] = Worker(4);
        foreach (var w in workers)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            await w.WaitForExitAsync(timeout.Token);
            Assert.True(w.ExitCode == 0, string.Join("\n", logs.Values.SelectMany(l => l)));
        }

        var trials = studies.Trials(studies.Find("shared")!.Value);
        Assert.Equal(Enumerable.Range(0, Budget + 1), trials.Select(t => t.Number)); // each number once, no gap
        Assert.Equal(Budget, trials.Count(t => t.State == "COMPLETE")); // the budget: failed trials do not count
        var dead = Assert.Single(trials, t => t.State == "FAIL");
        Assert.Equal(killed.Number, dead.Number);
        Assert.Contains("no heartbeat for 3 s", dead.Attribute("fail_reason")!.GetValue<string>());
        var retry = Assert.Single(trials, t => t.Attribute("failed_trial") is not null);
        Assert.Equal(killed.Number, retry.Attribute("failed_trial")!.GetValue<int>());
        Assert.Equal(dead.Params, retry.Params); // the same configuration, trained again
        Assert.Equal("COMPLETE", retry.State);
        // Every worker took part: the four first ones and the restarted one ran trials of their own.
        Assert.True(trials.Select(t => t.Attribute("podium:worker")!.GetValue<string>()).Distinct().Count() >= 4);
    }
}
