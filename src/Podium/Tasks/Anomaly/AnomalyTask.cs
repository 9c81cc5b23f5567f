using System.Text.Json;
using Podium.Config;
using Podium.Reporting;
using Podium.Tracking;
using Podium.Training;
using static Podium.Tasks.ReportNumbers;

namespace Podium.Tasks.Anomaly;

/// <summary>
/// Anomaly detection (podium anomaly train, an anomaly section): a detector learns what normal images look like from normal
/// images alone (the normal classes of labelled data, or every image of a folder) and scores how unlike them an image is, with a
/// map of where. PatchCore fills a memory bank in one pass (no gradient step); the autoencoder trains to reproduce the images.
/// Every epoch is judged on the validation images (image AUROC when anomalies are among them, and the normal images' mean score),
/// and the run ends by choosing the decision threshold on them.
/// </summary>
[Task("anomaly")]
public sealed class AnomalyTask : ITask
{
    public static readonly MetricSpec Auroc = new("auroc", true);
    /// <summary>The normal validation images' mean score (what an autoencoder's epochs lower without anomalies to judge by).</summary>
    public static readonly MetricSpec NormalScore = new("normal_score", false);

    public IReadOnlyList<MetricSpec> KnownMetrics(PodiumConfig config) => [Auroc, NormalScore];

    /// <summary>AUROC needs labelled anomalies: only data with normal classes named (the others are the anomalies) has them.</summary>
    public IReadOnlyList<MetricSpec> Metrics(PodiumConfig config) => config.Anomaly?.Normal is null ? [NormalScore] : [Auroc, NormalScore];

    public PodiumConfig Resolve(PodiumConfig config, string source)
    {
        var a = config.Anomaly ?? throw new ConfigException($"{source}: task: anomaly needs an anomaly section (anomaly: {{}} for " +
            "PatchCore's defaults)");
        void Refuse(string key, string why) => throw new ConfigException($"{source}: {key}: {why}");
        if (config.Model.Head is not null) Refuse("model.head", "an anomaly detector has no classifier head");
        if (config.Model.Freeze != "none") Refuse("model.freeze", "PatchCore's backbone is always frozen; the autoencoder trains whole");
        if (config.Train.Sampler.Name != "random") Refuse("train.sampler", "the detector reads normal images only: no classes to draw by");
        var train = config.Train;
        if (a.Method == "patchcore")
        {
            if (config.Model.Pretrained is null) Refuse("model.pretrained", "PatchCore describes patches by a pretrained backbone's " +
                "features: set it (resnet18-imagenet after podium weights fetch resnet18-imagenet, or a pretraining run's folder)");
            if (config.Data.Channels != 3) Refuse("data.channels", "PatchCore's pretrained backbone reads 3 channels (grey images are " +
                "repeated into them)");
            if (train.Precision != "fp32") Refuse("train.precision", "PatchCore takes no gradient step; fp32 features");
            // One pass fills the memory bank: there is nothing to learn over more epochs.
            train = train with { Epochs = 1 };
        }
        else if (config.Model.Pretrained is not null) Refuse("model.pretrained", "the autoencoder is trained from scratch; a pretrained " +
            "backbone is what anomaly.method: patchcore uses");
        train = train.WithTaskMetrics(a.Normal is null ? NormalScore.Name : Auroc.Name, Metrics(config).Select(m => m.Name));
        return config with { Train = train };
    }

    public ITaskRun Prepare(PodiumConfig config, Action<string> log) => new AnomalyRun(config, log);

    public string Headline(int bestEpoch, JsonElement best) => best.TryGetProperty("val_auroc", out _)
        ? $"<p class=big>Epoch {bestEpoch}: validation image AUROC <b>{F(best, "val_auroc")}</b> (normal images' mean score " +
            $"{F(best, "val_normal_score")})</p>"
        : $"<p class=big>Epoch {bestEpoch}: normal validation images' mean score <b>{F(best, "val_normal_score")}</b> (no " +
            "anomalies to judge by)</p>";

    public void Report(RunDirectory run, HtmlPage page)
    {
        var threshold = Path.Combine(run.Root, AnomalyRun.ThresholdFile);
        if (File.Exists(threshold)) page.Pre(File.ReadAllText(threshold));
        page.Image(Path.Combine(run.Plots, AnomalyRun.ScoresPlot), "Validation scores: normal and anomalous images, and the threshold");
        page.Image(Path.Combine(run.Plots, AnomalyRun.MapsPlot), "Anomaly maps of validation images: the highest-scored anomalies, " +
            "the anomalies missed, the normal images flagged, typical normal images");
    }
}
