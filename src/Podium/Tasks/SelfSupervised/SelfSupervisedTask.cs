using System.Text.Json;
using Podium.Config;
using Podium.Reporting;
using Podium.Tracking;
using Podium.Training;
using YamlDotNet.Serialization;
using static Podium.Tasks.ReportNumbers;

namespace Podium.Tasks.SelfSupervised;

/// <summary>
/// Self-supervised pretraining (podium pretrain, an ssl section): a registry backbone learns from the images of data.train alone,
/// by SimCLR or SimSiam on two augmented views of each, and the run is a backbone for model.pretrained. With labelled images to
/// judge by (data.val, or data.train's own labels held out as classification would: data.val_split) every epoch is judged by how
/// well its features classify them by their neighbours (weighted k-NN, leave-one-out) and by retrieval (Recall@1, MAP@R), and
/// the best epoch is kept.
/// </summary>
[Task("self_supervised")]
public sealed class SelfSupervisedTask : ITask
{
    /// <summary>What validation reports when there are labelled images to judge by, k-NN accuracy first.</summary>
    public static readonly IReadOnlyList<MetricSpec> Validated =
        [new("knn_accuracy", true), .. RetrievalValidation.Metrics];

    /// <summary>SimCLR's views (its appendix A, scaled to the image): a crop of 20-100 % of the image, a flip, strong colour
    /// jitter most of the time, grey a fifth of the time, a blur half the time.</summary>
    public const string DefaultViews = """
        - random_resized_crop: {scale: [0.2, 1.0]}
        - horizontal_flip: {p: 0.5}
        - color_jitter: {brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 0.8}
        - to_gray: {p: 0.2}
        - gaussian_blur: {blur_limit: [3, 9], sigma_limit: [0.1, 2.0], p: 0.5}
        """;

    public IReadOnlyList<MetricSpec> KnownMetrics(PodiumConfig config) => Validated;

    public IReadOnlyList<MetricSpec> Metrics(PodiumConfig config) => Judged(config) ? Validated : [];

    /// <summary>Whether the run means to judge its features: labelled data.val, or a hold-out of data.train's labels
    /// (data.val_split); data.train without labels then runs unjudged.</summary>
    internal static bool Judged(PodiumConfig config) => config.Data.Val is not null || config.Data.ValSplit > 0;

    public PodiumConfig Resolve(PodiumConfig config, string source)
    {
        var ssl = config.Ssl ?? throw new ConfigException($"{source}: task: self_supervised needs an ssl section (ssl: {{}} for SimCLR's " +
            "defaults)");
        void Refuse(string key, string why) => throw new ConfigException($"{source}: {key}: {why}");
        if (config.Data.Split is not null) Refuse("data.split", "pretraining reads every image of data.train (labels unused) and " +
            "judges the features on data.val");
        if (config.Data.Normalize is not null) Refuse("data.normalize", "pretraining keeps data.mean and data.std as given (the " +
            "fine-tuning run must use the same)");
        if (config.Model.Head is not null) Refuse("model.head", $"pretraining trains {ssl.Method}'s own heads; give the classification " +
            "head to the run that fine-tunes");
        if (config.Model.Freeze != "none") Refuse("model.freeze", "pretraining trains the backbone");
        if (config.Train.Accumulate > 1) Refuse("train.accumulate", "a contrastive loss compares the views of one batch, so " +
            "accumulating batches does not make it larger; raise train.batch_size and keep memory with ssl.chunk");
        if (ssl.Chunk > 0 && config.Train.Precision == "fp16") Refuse("train.precision", "fp16's loss scale cannot reach the chunks " +
            "ssl.chunk back-propagates early; use bf16 or ssl.chunk: 0");
        var sampler = config.Train.Sampler.Name;
        if (sampler != "random") Refuse("train.sampler", $"{sampler} draws by class, and pretraining reads no labels");
        var augment = config.Augment.Train.Count > 0 ? config.Augment : config.Augment with
        {
            Train = new DeserializerBuilder().Build().Deserialize<List<object>>(DefaultViews),
        };
        var train = config.Train.WithTaskMetrics("knn_accuracy", Validated.Select(m => m.Name));
        if (!Judged(config)) train = train with { Monitor = train.Monitor ?? "train_loss" };
        return config with { Augment = augment, Train = train };
    }

    public ITaskRun Prepare(PodiumConfig config, Action<string> log) => new SelfSupervisedRun(config, log);

    public string Headline(int bestEpoch, JsonElement best) => best.TryGetProperty("val_knn_accuracy", out _)
        ? $"<p class=big>Best epoch {bestEpoch}: validation k-NN accuracy <b>{F(best, "val_knn_accuracy")}</b> (Recall@1 " +
            $"{F(best, "val_recall_at_1")}, MAP@R {F(best, "val_map_at_r")})</p>"
        : $"<p class=big>Epoch {bestEpoch}: training loss <b>{F(best, "train_loss")}</b> (no data.val to judge the features)</p>";

    public void Report(RunDirectory run, HtmlPage page) =>
        page.Paragraph("A backbone for fine-tuning: set model.pretrained to this run's folder (the projection head is left out).");
}
