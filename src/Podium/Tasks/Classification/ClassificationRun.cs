using Podium.Augment;
using Podium.Config;
using Podium.Data;
using Podium.Evaluation;
using Podium.Models;
using Podium.Platform;
using Podium.Tracking;
using Podium.Training;
using static TorchSharp.torch;

namespace Podium.Tasks.Classification;

/// <summary>
/// A classification run, single-label (<see cref="LabelBatch"/>: class indices) or multi-label (<see cref="MultiHotBatch"/>):
/// the configured loss on each batch (MixUp/CutMix mixing the targets), validation by predicting the validation images
/// and scoring them (log loss, accuracy, macro F1 and the configured metrics), and the full evaluation of the best
/// checkpoint at the end (evaluation.json, predictions, confusion matrix or per-label scores, error galleries).
/// </summary>
public sealed class ClassificationRun<TBatch> : ITaskRun, ITrainingTask<TBatch> where TBatch : ImageBatch
{
    private readonly ICollator<TBatch> _collator;
    private readonly BatchLoader<TBatch> _train;
    private readonly BatchLoader<ImageBatch> _val;
    private readonly IReadOnlyList<string> _extra;
    private nn.Module<Tensor, Tensor, Tensor>? _loss;
    private BatchMixer? _mixer;

    public ClassificationRun(DataSetup setup, ICollator<TBatch> collator, IReadOnlyList<MetricSpec> metrics)
    {
        var config = Config = setup.Config; // with what preparing the data settled
        _collator = collator;
        Metrics = metrics;
        // After loss, accuracy and macro F1; retrieval's come from the embeddings, not the predictions.
        _extra = metrics.Skip(3).Select(m => m.Name).Where(m => !RetrievalValidation.Names.Contains(m)).ToList();
        Data = new TaskData(setup.Train, setup.Val, setup.Classes, setup.Skipped, setup.InputCount, setup.Description, setup.Holdout);
        _train = setup.TrainLoader(config, collator);
        if (_train.BatchesPerEpoch == 0)
            throw new PodiumException($"{config.Data.Split ?? config.Data.Train}: {setup.Train.Count} training images make no full batch " +
                $"of {config.Train.BatchSize}; lower train.batch_size");
        _val = Loaders.Eval(setup.Val, setup.ValPipeline, config);
    }

    public PodiumConfig Config { get; }
    public TaskData Data { get; }
    public int StepsPerEpoch => _train.BatchesPerEpoch;
    public IReadOnlyList<MetricSpec> Metrics { get; }
    public string HeadPattern => OptimizerFactory.Head(Config.Train.Optimizer) ?? ModelRegistry.HeadPattern(Config.Model.Name);

    public nn.Module<Tensor, Tensor> CreateModel() => ClassificationModels.Create(Config, Data.Classes.Count);

    public string Describe(nn.Module<Tensor,
        Tensor> model) => $"model {Config.Model.Name}: {model.parameters().Sum(p => p.numel()) / 1e6:0.00} M parameters";

    public IEnumerable<ITrainerCallback> Callbacks(RunDirectory run, Action<string> log) =>
        [new ClassDistributionLogger(run, _train.ClassCounts, _train.Sampler.Describe(), log)];

    public void Fit(Trainer trainer, Device device, Action<string> log, bool validate = true)
    {
        var c = Config;
        var classCounts = _train.ClassCounts(Enumerable.Range(0, Data.Train.Count).ToArray(), Data.Train.Count);
        int multiLabelImages = Data.Train.MultiLabel ? Data.Train.Count : 0;
        _loss = Losses.Create(c.Train.Loss, new LossContext(classCounts, device,
            (Heads.Options(c.Model.Head) as CosineHead.Options)?.Scale ?? 30, multiLabelImages));
        if (Losses.Registry.Options(c.Train.Loss, "train.loss") is WeightedLossOptions weighted
            && Losses.ClassWeights(weighted, classCounts, multiLabelImages) is { } weights)
            log($"loss {(multiLabelImages > 0 ? "label (positive)" : "class")} weights: " + string.Join(", ",
                Data.Classes.Select((name, k) => $"{name} {weights[k]:0.###}")));
        var mixer = new BatchMixer(c.Augment.Batch, c.Seed);
        _mixer = mixer.Enabled ? mixer : null;
        trainer.Fit(this, _train, validate);
    }

    public BatchLoss StepLoss(nn.Module<Tensor, Tensor> model, TBatch batch, Device device, int epoch, long step)
    {
        var x = tensor(batch.Pixels, batch.Shape, device: device);
        var y = batch switch
        {
            LabelBatch labels => tensor(labels.Labels, device: device),
            MultiHotBatch multi => tensor(multi.Targets, multi.TargetShape, device: device),
            _ => throw new InvalidOperationException($"classification trains on labelled batches, not {batch.GetType().Name}"),
        };
        var mixed = _mixer?.Mix(x, y, epoch, step);
        if (mixed is null) return new(_loss!.forward(model.forward(x), y));
        // λ·L(y) + (1 − λ)·L(y_partner) for a MixUp/CutMix batch.
        var logits = model.forward(mixed.Images);
        return new(_loss!.forward(logits, y).Times(mixed.Lambda).Plus(_loss.forward(logits, mixed.PartnerLabels).Times(1 - mixed.Lambda)));
    }

    public IReadOnlyDictionary<string, double> Validate(nn.Module<Tensor, Tensor> model, Device device, int epoch)
    {
        var scores = Scores.Of(Predictor.Predict(model, _val, device, Data.Classes.Count, Data.Val.MultiLabel), Data.Val, _extra);
        var values = new Dictionary<string, double>
        {
            ["val_loss"] = scores.Loss,
            ["val_accuracy"] = scores.Accuracy,
            ["val_f1_macro"] = scores.F1Macro
        };
        foreach (var (name, v) in scores.Named) values["val_" + name] = v;
        if (ClassificationTask.LearnsAnEmbedding(Config))
        {
            // Each validation image searches the others by the head's embedding (a second pass: the logits do not carry it).
            var (set, labels) = RetrievalValidation.Embed(model, Config, _val, Data.Val, device);
            RetrievalValidation.Add(values, set, labels);
        }
        return values;
    }

    public TaskOutcome Finish(RunDirectory run, nn.Module<Tensor, Tensor> model, Device device, Action<string> log) =>
        new ClassificationOutcome(ClassificationEvaluation.Evaluate(run, model, _val, device, "validation split"));
}
