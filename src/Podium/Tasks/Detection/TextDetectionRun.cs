using Podium.Config;
using Podium.Data;
using Podium.Models;
using Podium.Ocr;
using Podium.Tracking;
using Podium.Training;
using static Podium.Platform.Invariant;
using static TorchSharp.torch;

namespace Podium.Tasks.Detection;

/// <summary>
/// A DBNet training run: text data split into training and validation images, batches of text-safe crops with their four
/// DB maps drawn in place, the DB loss (reported as its BCE, Dice and L1 parts), and validation by detecting every
/// validation image at <c>ocr.eval_size</c> and scoring it with the ICDAR 2015 protocol every <c>ocr.eval_every</c>
/// epochs (in between the last scores stand, so only validated epochs can become the best). At the end the best
/// checkpoint detects the validation images once more for the per-image breakdown, the drawn gallery and timings.
/// </summary>
public sealed class TextDetectionRun : ITaskRun, ITrainingTask<DenseBatch>
{
    /// <summary>Maps per sample in a batch: probability, its mask, threshold, its mask.</summary>
    public const int Maps = 4;

    private readonly OcrConfig _ocr;
    private readonly Augment.Pipeline _pipeline;
    private readonly BatchLoader<DenseBatch> _train;
    private DbLoss? _loss;
    private IReadOnlyDictionary<string, double>? _last;

    public TextDetectionRun(PodiumConfig config, Action<string> log)
    {
        Config = config;
        _ocr = config.Ocr ?? throw new InvalidOperationException("a text-detection config has an ocr section");
        var d = config.Data;
        var (train, val, skipped, inputs, description) = Split(config);
        if (skipped.Count > 0) log($"skipped {skipped.Count} inputs: {SkippedInput.Summarize(skipped)}");
        Data = new TaskData(train, val, ["text"], skipped, inputs, description);
        _pipeline = Augment.Pipelines.Build(config, config.Augment.Train, "augment.train");
        _train = new BatchLoader<DenseBatch>(train, _pipeline, d.Channels, config.Train.BatchSize, shuffle: true,
            dropLast: config.Train.DropLast,
            d.Workers, d.Prefetch, config.Seed, Collators.Dense(Targets(_ocr)));
        if (_train.BatchesPerEpoch == 0)
            throw new PodiumException($"{d.Train}: {train.Count} training images make no full batch of {config.Train.BatchSize}; " +
            $"lower train.batch_size");
    }

    public PodiumConfig Config { get; }
    public TaskData Data { get; }
    public int StepsPerEpoch => _train.BatchesPerEpoch;
    public IReadOnlyList<MetricSpec> Metrics => TextDetectionTask.Validated;
    public IReadOnlyList<string> LossParts => [_ocr.ProbabilityLoss == "dice" ? "prob_dice" : "bce", "dice", "l1"];
    /// <summary>Everything but the backbone: the neck and the two heads.</summary>
    public string HeadPattern => OptimizerFactory.Head(Config.Train.Optimizer) ?? @"^(neck|binarize|thresh)\.";

    /// <summary>The four maps of one transformed sample, written in place into a <see cref="DenseBatch"/>.</summary>
    public static DenseTargets Targets(OcrConfig o)
    {
        var settings = new DbTargetOptions(o.ShrinkRatio, MinTextSize: o.MinTextSize);
        return new DenseTargets(Maps, (polygons, h, w, buffer, offset) => DbTargets.Fill(h, w, polygons, settings, buffer, offset));
    }

    public nn.Module<Tensor, Tensor> CreateModel() => DbNet.Create(Config);

    public string Describe(nn.Module<Tensor, Tensor> model) =>
        (model is ImportedDbNet imported ? $"model DBNet imported from {imported.Source} (a new threshold head)" :
            $"model DBNet {Config.Model.Name} + {_ocr.Neck}") +
        $": {model.parameters().Sum(p => p.numel()) / 1e6:0.00} M parameters; input " +
            $"{Config.Data.ImgSize} px, validation at {_ocr.EvalSize} px (long side)";

    public IEnumerable<ITrainerCallback> Callbacks(RunDirectory run, Action<string> log) => [];

    public void Fit(Trainer trainer, Device device, Action<string> log, bool validate = true)
    {
        _loss = new DbLoss(new DbLossWeights(_ocr.BceWeight, _ocr.DiceWeight, _ocr.L1Weight, _ocr.NegativeRatio,
            DiceProbability: _ocr.ProbabilityLoss == "dice"));
        trainer.Fit(this, _train, validate);
    }

    public BatchLoss StepLoss(nn.Module<Tensor, Tensor> model, DenseBatch batch, Device device, int epoch, long step)
    {
        var x = tensor(batch.Pixels, batch.Shape, device: device);
        var maps = tensor(batch.Maps, batch.MapShape, device: device);
        var prediction = model.forward(x);
        var (total, bce, dice, l1) = _loss!.Compute(prediction, new DbBatchTargets(maps[.., 0], maps[.., 1], maps[.., 2], maps[.., 3]));
        return new BatchLoss(total, [bce, dice, l1]);
    }

    public IReadOnlyDictionary<string, double> Validate(nn.Module<Tensor, Tensor> model, Device device, int epoch)
    {
        if (_last is not null && epoch % _ocr.EvalEvery != 0) return _last;
        // Leaves eval mode on, as classification's validation does; each epoch starts in train mode.
        var score = DetectionScore.Detect(Detector(model, device), Data.Val);
        return _last = new Dictionary<string, double>
        {
            ["val_hmean"] = score.Hmean,
            ["val_precision"] = score.Precision,
            ["val_recall"] = score.Recall
        };
    }

    public TaskOutcome Finish(RunDirectory run, nn.Module<Tensor, Tensor> model, Device device, Action<string> log)
    {
        var results = new List<DetectionResult>();
        var score = DetectionScore.Detect(Detector(model, device), Data.Val, results.Add);
        score.WritePerImage(run.ValPerImage);
        DetectionGallery.Write(run.ValDetectionsPlot, Data.Val, results, score);
        var (network, post) = DetectionResult.MedianTimes(results);
        return new DetectionOutcome(score, network, post, results.LastOrDefault()?.InputHeight ?? 0,
            results.LastOrDefault()?.InputWidth ?? 0);
    }

    private DbTextDetector Detector(nn.Module<Tensor, Tensor> model, Device device) => new(model, _pipeline.Normalize, Config.Data.Channels,
        _ocr, device);

    /// <summary>Training and validation images: data.val, or a seeded hold-out of data.val_split (duplicate groups kept
    /// together).</summary>
    private static (ImageDataset Train, ImageDataset Val, List<SkippedInput> Skipped, int Inputs,
        string Description) Split(PodiumConfig config)
    {
        var d = config.Data;
        var load = DatasetReader.Open(d.Train, textPoints: d.TextPoints);
        var skipped = new List<SkippedInput>(load.Skipped);
        var all = TextRegionCheck.Fit(load.Enforce(d.OnBadInput), skipped);
        if (all.Polygons(0) is null) throw new PodiumException($"{d.Train}: no text polygons (an ICDAR folder img/ + box/, or a text " +
            $"manifest)");
        if (d.Val is not null)
        {
            var valLoad = DatasetReader.Open(d.Val, textPoints: d.TextPoints);
            skipped.AddRange(valLoad.Skipped);
            var val = TextRegionCheck.Fit(valLoad.Enforce(d.OnBadInput), skipped);
            return (all, val, skipped, all.Count + val.Count + skipped.Count, $"validation data {d.Val}");
        }
        if (d.ValSplit <= 0) throw new ConfigException("data.val_split: is 0 and data.val is not set; give one of them");
        var (trainIdx, valIdx) = Splits.StratifiedGroupHoldout(new int[all.Count], all.Groups(), d.ValSplit, config.Seed);
        return (new DatasetView(all, trainIdx), new DatasetView(all, valIdx), skipped, all.Count + skipped.Count,
            F($"seeded hold-out of {d.ValSplit * 100:0.#}%, seed {config.Seed}"));
    }
}
