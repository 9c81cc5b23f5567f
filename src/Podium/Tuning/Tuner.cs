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
        var store = RunStore.Open(RunStore.Locate(o.Storage ?? config.Tracking.Store));
        var studies = StudyStore.Open(store);
        var study = studies.CreateOrLoad(o.Study, maximize, o.Space.Fingerprint());
        var sampler = new RandomSampler(o.Seed);
        var pruner = o.Prune ? new MedianPruner() : null;
        var root = o.Out ?? Path.Combine("runs", "tune-" + o.Study);
        var ran = 0;
        while (studies.Start(study, o.Trials) is { } trial)
        {
            var values = sampler.Suggest(o.Space, studies.Trials(study), trial.Number);
            var active = o.Space.Parameters.Where(p => values.ContainsKey(p.Key)).ToList();
            studies.SetParams(trial.Id, active.Select(p => (p.Key, values[p.Key], p.Distribution().ToJsonString())));
            var overrides = active.Select(p => $"{p.Key}={p.Text(values[p.Key])}").ToList();
            run.Log($"trial {trial.Number} of {o.Trials} ({o.Study}): {string.Join(", ", overrides)}");
            PodiumConfig trialConfig;
            try
            {
                trialConfig = ConfigLoader.Load(o.Config, [.. o.Overrides, .. overrides, $"name=trial-{trial.Number}"]);
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
                studies.Finish(trial.Id, reporter.Pruned ? "PRUNED" : "COMPLETE", value);
                run.Log($"trial {trial.Number}: {(reporter.Pruned ? "pruned" : "complete")}, {monitor} {value:G6}");
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
        var complete = trials.Where(t => t.State == "COMPLETE" && t.Value is not null).ToList();
        var best = complete.Count == 0 ? null : maximize ? complete.MaxBy(t => t.Value) : complete.MinBy(t => t.Value);
        return new TuneOutcome(o.Study, store.Location, trials, ran, best);
    }
}
