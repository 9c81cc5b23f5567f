using Podium.Config;
using Podium.Data;
using Podium.Evaluation;
using Podium.Reporting;
using Podium.Tracking;
using Podium.Training;

namespace Podium.Tasks.Classification;

/// <summary>Single-label image classification: one class per image, softmax over the classes.</summary>
[Task("classification")]
public sealed class ClassificationTask : ITask
{
    public IReadOnlyList<MetricSpec> KnownMetrics(PodiumConfig config) => [.. Known(multiLabel: false), .. Retrieval(config)];

    public IReadOnlyList<MetricSpec> Metrics(PodiumConfig config) => RunMetrics(config, multiLabel: false);

    public PodiumConfig Resolve(PodiumConfig config, string source)
    {
        if (config.Data.MultiLabel) throw new ConfigException($"{source}: task: classification has one label per image; data.multi_label " +
            $"asks for task: multi_label");
        var t = config.Train;
        if (new[] { t.Metric }.Concat(t.Metrics).FirstOrDefault(RetrievalValidation.Names.Contains) is { } asked
            && !LearnsAnEmbedding(config))
            throw new ConfigException($"{source}: {(asked == t.Metric ? "train.metric" : "train.metrics")}: {asked} judges a learned " +
                "embedding, which only a cosine head learns (model.head: {type: cosine})");
        return config;
    }

    public ITaskRun Prepare(PodiumConfig config, Action<string> log) =>
        new ClassificationRun<LabelBatch>(Setup(config, log), Collators.Labels, RunMetrics(config, multiLabel: false));

    /// <summary>The data of a classification run, saying what the user should know about it.</summary>
    internal static DataSetup Setup(PodiumConfig config, Action<string> log)
    {
        var data = DataSetup.Prepare(config, log);
        if (config.Data.Split is not null && config.Data.Train.Length > 0)
            log($"data.split {config.Data.Split} lists the images; data.train ({config.Data.Train}) is not used");
        if (data.Skipped.Count > 0) log($"skipped {data.Skipped.Count} of {data.InputCount} inputs: {data.SkipSummary()}");
        if (!config.Data.MultiLabel)
        {
            var (trainCounts, valCounts) = (Counts(data.Train, data.Classes.Count), Counts(data.Val, data.Classes.Count));
            var unseen = Enumerable.Range(0, data.Classes.Count).Where(c => valCounts[c] == 0).ToList();
            if (unseen.Count > 0)
                log($"no validation image for {unseen.Count} of the {data.Classes.Count} classes: " + string.Join(", ",
                    unseen.Take(5).Select(c => $"{data.Classes[c]} ({trainCounts[c]} training)")) + (unseen.Count > 5 ? ", ..." : "") +
                    "; validation scores average over the classes it holds or predicts");
        }
        return data;
    }

    private static int[] Counts(ImageDataset data, int classes) =>
        Samplers.ClassCounts([.. Enumerable.Range(0, data.Count)], data.Count, data.Label, classes);

    public string Headline(int bestEpoch, System.Text.Json.JsonElement best) => ClassificationReport.Headline(bestEpoch, best);

    public void Report(RunDirectory run, HtmlPage page) => ClassificationReport.Write(run, page);

    /// <summary>Every metric a classification run can report: the fixed loss, accuracy and macro F1, and the named ones.</summary>
    internal static IReadOnlyList<MetricSpec> Known(bool multiLabel)
    {
        var names = multiLabel ? MultiLabelMetrics.Names : Evaluation.Metrics.Names;
        return [new("loss", false), .. names.Select(n => new MetricSpec(n.Key, !n.Value)).Where(m => m.Name != "loss")];
    }

    /// <summary>What epochs.csv records: loss, accuracy and macro F1 always, then train.metric and train.metrics, then retrieval's
    /// for a cosine head.</summary>
    internal static IReadOnlyList<MetricSpec> RunMetrics(PodiumConfig config, bool multiLabel)
    {
        var t = config.Train;
        var extra = new[] { t.Metric }.Concat(t.Metrics).Where(m => m is not ("accuracy" or "f1_macro" or "log_loss")
            && !RetrievalValidation.Names.Contains(m)).Distinct();
        return [new("loss", false), new("accuracy", true), new("f1_macro", true),
            .. extra.Select(m => new MetricSpec(m, !Scores.LowerIsBetter(m, multiLabel))), .. Retrieval(config)];
    }

    /// <summary>A cosine (ArcFace/CosFace) head learns an embedding, so its runs are judged as retrieval too (single-label).
    /// </summary>
    internal static bool LearnsAnEmbedding(PodiumConfig config) =>
        !config.Data.MultiLabel && Models.Heads.Options(config.Model.Head) is Models.CosineHead.Options;

    private static IEnumerable<MetricSpec> Retrieval(PodiumConfig config) =>
        LearnsAnEmbedding(config) ? RetrievalValidation.Metrics : [];
}
