using Podium.Config;
using Podium.Reporting;
using Podium.Tracking;
using Podium.Training;

namespace Podium.Tasks;

/// <summary>
/// A kind of model Podium trains, chosen by the config's <c>task:</c> and registered with <see cref="TaskAttribute"/>:
/// its defaults, its metrics, a training run's data, model, loss and batches, its final evaluation and its part of the
/// report. The run pipeline does everything else (device, run folder, trainer, callbacks, loggers, summary). Adding a
/// task is a folder of task code with one registered class.
/// </summary>
public interface ITask
{
    /// <summary>The metrics this task can report, with their directions (what train.metric and train.metrics may name).</summary>
    IReadOnlyList<MetricSpec> KnownMetrics(PodiumConfig config);

    /// <summary>What a run of this config validates every epoch, in epochs.csv's order (what train.monitor may name, as
    /// val_NAME).</summary>
    IReadOnlyList<MetricSpec> Metrics(PodiumConfig config);

    /// <summary>The task's defaults filled into a config (its competition metric, the metrics it always logs), and a
    /// one-line refusal (naming <paramref name="source"/> and the key) of what it cannot do.</summary>
    PodiumConfig Resolve(PodiumConfig config, string source);

    /// <summary>A training run from a resolved config: its data (settling what needs the data, such as data.normalize: auto), loaders and
    /// loss.</summary>
    ITaskRun Prepare(PodiumConfig config, Action<string> log);

    /// <summary>The first line of report.html: the best epoch's headline figures, from summary.json's best record.</summary>
    string Headline(int bestEpoch, System.Text.Json.JsonElement best);

    /// <summary>The task's part of report.html, from the files its runs leave.</summary>
    void Report(RunDirectory run, HtmlPage page);
}
