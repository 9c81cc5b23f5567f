using Podium.Config;
using Podium.Data;
using Podium.Reporting;
using Podium.Tracking;
using Podium.Training;

namespace Podium.Tasks.Classification;

/// <summary>Multi-label image classification: any number of labels per image, one sigmoid per label.</summary>
[Task("multi_label")]
public sealed class MultiLabelTask : ITask
{
    public IReadOnlyList<MetricSpec> KnownMetrics(PodiumConfig config) => ClassificationTask.Known(multiLabel: true);

    public IReadOnlyList<MetricSpec> Metrics(PodiumConfig config) => ClassificationTask.RunMetrics(config, multiLabel: true);

    public PodiumConfig Resolve(PodiumConfig config, string source)
    {
        if (!config.Data.MultiLabel) throw new ConfigException($"{source}: task: multi_label reads space-separated labels; set " +
            $"data.multi_label: true");
        return config;
    }

    public ITaskRun Prepare(PodiumConfig config, Action<string> log)
    {
        var setup = ClassificationTask.Setup(config, log);
        return new ClassificationRun<MultiHotBatch>(setup, Collators.MultiHot(setup.Classes.Count), ClassificationTask.RunMetrics(config,
            multiLabel: true));
    }

    public string Headline(int bestEpoch, System.Text.Json.JsonElement best) => ClassificationReport.Headline(bestEpoch, best);

    public void Report(RunDirectory run, HtmlPage page) => ClassificationReport.Write(run, page);
}
