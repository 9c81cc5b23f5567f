using Podium.Augment;
using Podium.Config;
using Podium.Data;
using Podium.Evaluation;
using Podium.Models;
using Podium.Platform;
using Podium.Tracking;
using Podium.Training;
using static Podium.Platform.Invariant;
using static TorchSharp.torch;

namespace Podium.Tasks.SelfSupervised;

/// <summary>
/// A self-supervised pretraining run: every image of data.train (labels, if any, unread) twice augmented per step, the method's
/// loss over the batch's views (through the gradient cache when ssl.chunk is set), and with labelled images to judge by (data.val,
/// or data.train's own labels held out) a k-NN and retrieval judgement of the backbone's features after every epoch.
/// </summary>
public sealed class SelfSupervisedRun : ITaskRun, ITrainingTask<ImageBatch>
{
    private readonly SslConfig _ssl;
    private readonly BatchLoader<ImageBatch> _train;
    private readonly BatchLoader<ImageBatch>? _val;
    private SslModel? _model;

    public SelfSupervisedRun(PodiumConfig config, Action<string> log)
    {
        _ssl = config.Ssl ?? throw new InvalidOperationException("a self-supervised config has an ssl section");
        var d = config.Data;
        var load = Read(d);
        var train = Loaders.Prepare(load, d);
        var skipped = new List<SkippedInput>(load.Skipped);
        if (train.Count == 0) throw new PodiumException($"{d.Train}: no images to pretrain on" + (skipped.Count > 0
            ? $" ({skipped.Count} unreadable: {SkippedInput.Summarize(skipped)})" : ""));
        int inputs = train.Count + load.Skipped.Count;
        ImageDataset val = new FileImageDataset([], [], d.Train);
        var description = "no validation data: the features are not judged (give labelled data.val for a k-NN monitor)";
        if (d.Val is not null)
        {
            var valLoad = DatasetReader.Open(d.Val);
            val = Loaders.Prepare(valLoad, d);
            skipped.AddRange(valLoad.Skipped);
            inputs += val.Count + valLoad.Skipped.Count;
            description = $"k-NN monitor on {d.Val}";
        }
        else if (train.Classes.Count > 1)
        {
            // The classification recipe's hold-out (same seed and fraction), so the monitor judges the images its runs validate on.
            var (_, held) = Splits.StratifiedGroupHoldout(train.Labels(), train.Groups(), d.ValSplit, config.Seed);
            val = new DatasetView(train, held);
            description = F($"k-NN monitor on a stratified hold-out of {d.ValSplit * 100:0.#}% (seed {config.Seed}, {held.Length} " +
                $"images); pretraining reads every image, labels unused");
        }
        if (val.Count > 0) _val = Loaders.Eval(val, config);
        else if (SelfSupervisedTask.Judged(config))
        {
            log($"{d.Train}: no labels to hold out for a k-NN monitor; every epoch is kept by its training loss");
            config = config with { Train = config.Train with { Monitor = "train_loss" } };
        }
        Config = config;
        if (skipped.Count > 0) log($"skipped {skipped.Count} of {inputs} inputs: {SkippedInput.Summarize(skipped)}");
        Data = new TaskData(train, val, val.Classes, skipped, inputs, description);
        _train = new BatchLoader<ImageBatch>(train, Pipelines.Build(config, config.Augment.Train, "augment.train"), d.Channels,
            config.Train.BatchSize, shuffle: true, config.Train.DropLast, d.Workers, d.Prefetch, config.Seed, ViewPairCollator.Instance);
        if (_train.BatchesPerEpoch == 0) throw new PodiumException($"{d.Train}: {train.Count} images make no full batch of " +
            $"{config.Train.BatchSize}; lower train.batch_size");
    }

    /// <summary>data.train as images; labelled (class folders, a CSV's labels) when data.val is not given and data.val_split asks
    /// for a monitor hold-out, else any images below the folder.</summary>
    private static DatasetLoad Read(DataConfig d)
    {
        if (d.Val is null && d.ValSplit > 0)
            try { return DatasetReader.Open(d.Train); }
            catch (PodiumException) { } // no labels to judge by: the images alone
        return DatasetReader.Open(d.Train, labelled: false);
    }

    public PodiumConfig Config { get; }
    public TaskData Data { get; }
    public int StepsPerEpoch => _train.BatchesPerEpoch;
    public IReadOnlyList<MetricSpec> Metrics => _val is null ? [] : SelfSupervisedTask.Validated;
    /// <summary>The method's heads: what fine-tuning leaves behind.</summary>
    public string HeadPattern => OptimizerFactory.Head(Config.Train.Optimizer) ?? @"^(projector|predictor)\.";
    public IReadOnlyList<string> LossParts => ["spread"];

    public nn.Module<Tensor, Tensor> CreateModel()
    {
        var model = new SslModel(Config);
        _model ??= model; // the master; a second one is mixed precision's compute copy
        return model;
    }

    public string Describe(nn.Module<Tensor, Tensor> model) => $"model {Config.Model.Name} with {_ssl.Method}'s heads: " +
        $"{model.parameters().Sum(p => p.numel()) / 1e6:0.00} M parameters; {2 * Config.Train.BatchSize} views per step" +
        (_ssl.Chunk > 0 && _ssl.Chunk < 2 * Config.Train.BatchSize ? $", {_ssl.Chunk} at a time" : "");

    public IEnumerable<ITrainerCallback> Callbacks(RunDirectory run, Action<string> log) => [];

    public void Fit(Trainer trainer, Device device, Action<string> log, bool validate = true) => trainer.Fit(this, _train, validate);

    public BatchLoss StepLoss(nn.Module<Tensor, Tensor> model, ImageBatch batch, Device device, int epoch, long step)
    {
        var x = tensor(batch.Pixels, batch.Shape, device: device);
        var objective = GradientCache.Loss(model, x, _ssl.Chunk, Seeds.For(Config.Seed, epoch, (int)step), Loss, out var outputs);
        return new(objective, [SelfSupervisedLosses.Spread(outputs.narrow(1, 0, _ssl.ProjectionDim))]);
    }

    /// <summary>The method's loss on a batch's outputs: z, or [z | p] for SimSiam.</summary>
    private Tensor Loss(Tensor outputs) => _ssl.Method == "simsiam"
        ? SelfSupervisedLosses.NegativeCosine(outputs.narrow(1, 0, _ssl.ProjectionDim),
            outputs.narrow(1, _ssl.ProjectionDim, _ssl.ProjectionDim))
        : SelfSupervisedLosses.NtXent(outputs, _ssl.Temperature);

    public IReadOnlyDictionary<string, double> Validate(nn.Module<Tensor, Tensor> model, Device device, int epoch)
    {
        if (_val is null) return new Dictionary<string, double>();
        var (set, labels) = RetrievalValidation.Embed(model as SslModel ?? _model!, Config, _val, Data.Val, device);
        var values = new Dictionary<string, double>
        {
            ["val_knn_accuracy"] = KnnClassifier.LeaveOneOutAccuracy(set, labels, _ssl.KnnK, _ssl.KnnTemperature),
        };
        RetrievalValidation.Add(values, set, labels);
        return values;
    }

    public TaskOutcome Finish(RunDirectory run, nn.Module<Tensor, Tensor> model, Device device, Action<string> log) =>
        new SelfSupervisedOutcome(_val is null ? null : Validate(model, device, 0));
}
