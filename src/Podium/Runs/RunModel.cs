using Podium.Config;
using Podium.Data;
using Podium.Evaluation;
using Podium.Platform;
using Podium.Tasks.Classification;
using Podium.Tracking;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Runs;

/// <summary>A trained run's model (a classifier, a pretraining run's backbone and heads, or an anomaly detector), rebuilt from its
/// config and best checkpoint.</summary>
public sealed class RunModel
{
    public required RunDirectory Run { get; init; }
    public required PodiumConfig Config { get; init; }
    public required string[] Classes { get; init; }
    public required nn.Module<Tensor, Tensor> Model { get; init; }
    public required Device Device { get; init; }
    /// <summary>The checkpoint the model was loaded from (best.pt, else last.pt).</summary>
    public required string Checkpoint { get; init; }

    /// <param name="features">The model is used for its features only (embeddings): a self-supervised run, which has no
    /// classifier, will do.</param>
    /// <param name="anomaly">An anomaly detection run is wanted (and only one will do).</param>
    public static RunModel Load(string runPath, string? deviceOverride = null, bool features = false, bool anomaly = false)
    {
        var run = RunDirectory.Open(runPath);
        var config = ConfigLoader.Load(run.Config);
        bool pretraining = config.Task == "self_supervised", detector = config.Task == "anomaly";
        if (pretraining && !features) throw new PodiumException($"{runPath}: a self-supervised pretraining run has no classifier; " +
            $"fine-tune from it (model.pretrained: {runPath}) or embed images with it (podium embed --run {runPath})");
        if (detector != anomaly) throw new PodiumException(detector
            ? $"{runPath}: an anomaly detection run; score images with podium anomaly score --run {runPath}"
            : $"{runPath}: not an anomaly detection run (task {config.Task}); train one with podium anomaly train");
        if (deviceOverride is not null) config = config with { Device = deviceOverride };
        TorchRuntime.Configure(config.Train.Threads);
        var device = DeviceSelector.Resolve(config.Device);
        var classes = run.ReadClasses();
        var checkpoint = run.ModelCheckpoint();
        var model = pretraining ? new Models.SslModel(config) : detector ? Models.AnomalyModels.Create(config)
            : ClassificationModels.Create(config, classes.Length);
        model.load(checkpoint);
        model.to(device);
        return new RunModel { Run = run, Config = config, Classes = classes, Model = model, Device = device, Checkpoint = checkpoint };
    }

    /// <summary>Probabilities for the images through the pipeline and then through each test-time view (plain first).</summary>
    public List<Predictions> PredictViews(ImageDataset data, Augment.Pipeline pipeline, IEnumerable<Augment.Pipeline> views) =>
        [.. new[] { pipeline }.Concat(views).Select(p => Predictor.Predict(Model, Data.Loaders.Eval(data, p, Config), Device,
            Classes.Length, Config.Data.MultiLabel))];
}
