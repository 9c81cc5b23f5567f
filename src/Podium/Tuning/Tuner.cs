using System.Text.Json.Nodes;
using Podium.Config;
using Podium.Evaluation;
using Podium.Runs;
using Podium.Tracking;

namespace Podium.Tuning;

/// <summary>
/// A tuning worker: takes the study's next trial number (under the study's lock, within the global budget), draws its
/// parameters, trains the base config with them as --set overrides into OUT/trial-N (a run of the run store, linked to the
/// trial by the trial's podium:run_id attribute), reports each epoch's monitored figure, lets the pruner stop hopeless
/// trials, and records the trial COMPLETE (its best epoch's figure), PRUNED or FAIL. Any number of workers may share a study.
/// </summary>
public static class Tuner
{
    public static TuneOutcome Run(TuneOptions o, RunOptions run)
    {
        if (o.Trials < 1) throw new PodiumException($"--trials {o.Trials}: at least 1");
        var config = ConfigLoader.Load(o.Config, o.Overrides);
        var monitor = config.Train.MonitorName();
        var metric = monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor[4..] : monitor;
        var maximize = !Scores.LowerIsBetter(metric, config.Data.MultiLabel);
        // Every searched key must be one the config has: checked once, before the study records anything.
        foreach (var p in o.Space.Parameters)
            ConfigLoader.Load(o.Config, [.. o.Overrides, $"{p.Key}={p.Text(p is CategoricalParameter ? 0 : RandomSampler.Low(p))}"]);
        var draw = o.Space.Draw(Sampler(o, maximize));
        var pruner = Pruner(o.Pruner);
        var store = RunStore.Open(RunStore.Locate(o.Storage ?? config.Tracking.Store));
        var studies = StudyStore.Open(store);
        var study = studies.CreateOrLoad(o.Study, maximize, o.Space.Fingerprint());
        var stale = new StalePolicy(o.Grace, o.Retries);
        List<string> threads = o.Threads > 0 ? [$"train.threads={o.Threads}"] : [];
        var root = o.Out ?? Path.Combine("runs", "tune-" + o.Study);
        var ran = 0;
        var worker = $"{Environment.MachineName}:{Environment.ProcessId}";
        var waitingFor = 0;
        while (true)
        {
            if (studies.Start(study, o.Trials, draw, stale) is not { } trial)
            {
                // Nothing to start, but trials still running: wait for them, since one whose worker died is queued again once
                // its grace period ends, and somebody must run that retry.
                var running = studies.Trials(study).Count(t => t.State == "RUNNING");
                if (running == 0) break;
                if (running != waitingFor)
                    run.Log($"waiting: {running} trial(s) still running elsewhere (a dead worker's is retried after " +
                        $"{o.Grace.TotalSeconds:G4} s)");
                waitingFor = running;
                Thread.Sleep(o.Heartbeat);
                continue;
            }
            studies.SetAttribute(trial.Id, "podium:worker", JsonValue.Create(worker));
            var active = o.Space.Parameters.Where(p => trial.Params.ContainsKey(p.Key)).ToList();
            var overrides = active.Select(p => $"{p.Key}={p.Text(trial.Params[p.Key])}").ToList();
            var retry = trial.Attribute("failed_trial") is { } first ? $", a retry of trial {first}" : "";
            run.Log($"trial {trial.Number} of {o.Trials} ({o.Study}{retry}): {string.Join(", ", overrides)}");
            PodiumConfig trialConfig;
            try
            {
                trialConfig = ConfigLoader.Load(o.Config, [.. o.Overrides, .. threads, .. overrides, $"name=trial-{trial.Number}"]);
                trialConfig = trialConfig with { Tracking = trialConfig.Tracking with { Enabled = true, Store = store.Location } };
            }
            catch (PodiumException)
            {
                // A key the config does not have is the space's mistake, not the trial's: the study stops here.
                studies.Finish(trial.Id, "FAIL", null);
                throw;
            }
            var folder = Path.Combine(root, $"trial-{trial.Number}");
            var reporter = new TrialReporter(studies, study, trial, monitor, maximize, pruner, run.Log);
            // The heartbeat says this worker lives while the trial trains, between epochs too.
            using (new Timer(_ => Beat(studies, trial, run.Log), null, o.Heartbeat, o.Heartbeat))
                try
                {
                    var outcome = TrainingPipeline.Train(trialConfig, folder, run with
                    {
                        Callbacks = [.. run.Callbacks, reporter],
                        Tracking = true,
                        Overwrite = true,
                    });
                    if (StoreLogger.RunIdOf(folder, store.Location) is { } runId)
                        studies.SetAttribute(trial.Id, "podium:run_id", JsonValue.Create(runId));
                    var value = reporter.Pruned ? reporter.Last : outcome.Best?.Value(monitor);
                    var state = reporter.Pruned ? "PRUNED" : "COMPLETE";
                    run.Log(studies.Finish(trial.Id, state, value)
                        ? $"trial {trial.Number}: {state.ToLowerInvariant()}, {monitor} {value:G6}"
                        : $"trial {trial.Number}: finished ({monitor} {value:G6}) after the study declared it dead (no heartbeat for " +
                          $"{o.Grace.TotalSeconds:G4} s); its run is kept, the study keeps its retry");
                }
                catch (Exception e) when (e is PodiumException or InvalidOperationException or IOException)
                {
                    studies.Finish(trial.Id, "FAIL", null);
                    studies.SetAttribute(trial.Id, "fail_reason", JsonValue.Create(e.Message));
                    run.Log($"trial {trial.Number}: failed: {e.Message}");
                }
            ran++;
        }
        var trials = studies.Trials(study);
        return new TuneOutcome(o.Study, store.Location, trials, ran, StudyTrial.Best(trials, maximize));
    }

    /// <summary>The sampler a worker uses by name: tpe (multivariate, constant liar), random, qmc, or grid.</summary>
    public static ISampler Sampler(TuneOptions o, bool maximize) => o.Sampler switch
    {
        "tpe" => new TpeSampler(o.Seed, maximize),
        "random" => new RandomSampler(o.Seed),
        "qmc" => new QmcSampler(o.Seed),
        "grid" => new GridSampler(o.Space, o.Seed),
        _ => throw new PodiumException($"--sampler {o.Sampler}: unknown (tpe, random, qmc or grid)"),
    };

    /// <summary>The pruner by name: median, asha (successive halving), or none.</summary>
    public static IPruner? Pruner(string name) => name switch
    {
        "median" => new MedianPruner(),
        "asha" => new SuccessiveHalvingPruner(),
        "none" => null,
        _ => throw new PodiumException($"--pruner {name}: unknown (median, asha or none)"),
    };

    private static void Beat(StudyStore studies, StudyTrial trial, Action<string> log)
    {
        try
        {
            studies.Beat(trial.Id);
        }
        catch (Exception e) when (RunStore.IsStoreError(e))
        {
            // A missed beat is not the trial's failure: the next one may get through before the grace period ends.
            log($"heartbeat of trial {trial.Number} not recorded: {RunStore.Describe(e)}");
        }
    }
}
