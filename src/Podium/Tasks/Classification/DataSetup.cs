using Podium.Augment;
using Podium.Config;
using Podium.Data;
using static Podium.Platform.Invariant;

namespace Podium.Tasks.Classification;

/// <summary>
/// The data side of a run, derived from its config alone: training data, the validation data
/// (a separate source, or a seeded stratified hold-out) and both pipelines. Evaluation re-derives
/// the same split from the same config, so any dataset kind (folder, CSV, idx) works alike.
/// </summary>
public sealed record DataSetup
{
    public required ImageDataset Train { get; init; }
    public required ImageDataset Val { get; init; }
    public required IReadOnlyList<string> Classes { get; init; }
    public required Pipeline TrainPipeline { get; init; }
    public required Pipeline ValPipeline { get; init; }
    /// <summary>The config with what preparing the data settled (data.normalize: auto's measured statistics).</summary>
    public PodiumConfig Config { get; init; } = null!;
    public required IReadOnlyList<SkippedInput> Skipped { get; init; }
    public required int InputCount { get; init; }
    public string SkipSummary() => SkippedInput.Summarize(Skipped);
    /// <summary>For the hold-out case: the full dataset and the indices of each side.</summary>
    public (ImageDataset Source, int[] Train, int[] Val)? Holdout { get; init; }
    /// <summary>Where the validation data came from, for the log.</summary>
    public string Description { get; init; } = "";

    /// <summary>
    /// The data of a run. With data.normalize: auto, the statistics are settled here (read from
    /// data.stats, or measured on the training side) and written into data.mean/std, so the saved
    /// config carries the numbers and evaluate/predict need not measure again.
    /// </summary>
    public static DataSetup Prepare(PodiumConfig config, Action<string>? log = null)
    {
        var setup = PrepareData(config) with { Config = config };
        if (config.Data.Normalize != "auto") return setup;
        var (mean, std, source) = AutoNormalize(config, setup.Train);
        config = config with { Data = config.Data with { Mean = mean, Std = std, Normalize = null, Stats = null } };
        static string List(double[] v) => string.Join(", ",
            v.Select(x => x.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)));
        log?.Invoke($"normalize: auto from {source}: mean [{List(mean)}], std [{List(std)}]");
        return setup with
        {
            Config = config,
            TrainPipeline = Pipelines.Build(config, config.Augment.Train, "augment.train"),
            ValPipeline = Pipelines.Val(config),
        };
    }

    private static (double[] Mean, double[] Std, string Source) AutoNormalize(PodiumConfig config, ImageDataset train)
    {
        var d = config.Data;
        if (d.Stats is not null)
        {
            var stats = Eda.EdaRunner.ReadStats(d.Stats);
            if (d.Channels == 1) throw new ConfigException($"data.stats: {d.Stats} holds RGB statistics; a 1-channel model measures its " +
                $"own (leave data.stats out)");
            return (stats.Mean, stats.Std, d.Stats);
        }
        var facts = Platform.WorkProgress.Run("measuring normalisation statistics", train.Count, report => Eda.ImageScan.Run(train, "train",
            report, throughDataset: true));
        var (mean, std) = Eda.ImageScan.ChannelStats(facts, gray: d.Channels == 1);
        return (mean.Select(v => Math.Round(v, 4)).ToArray(), std.Select(v => Math.Round(v, 4)).ToArray(),
            $"{facts.Count(f => f.Readable)} training images");
    }

    private static DataSetup PrepareData(PodiumConfig config)
    {
        // Pipelines first: a config typo should fail before any file is scanned.
        var trainPipeline = Pipelines.Build(config, config.Augment.Train, "augment.train");
        var valPipeline = Pipelines.Val(config);
        Pipelines.TtaViews(config, valPipeline);
        var d = config.Data;
        if (d.Split is not null) return FromSplitFile(config, trainPipeline, valPipeline);
        var load = DatasetReader.Open(d.Train, multiLabel: d.MultiLabel);
        var skipped = new List<SkippedInput>(load.Skipped);
        var all = Loaders.Prepare(load, d);
        if (all.Classes.Count < 2) throw new PodiumException($"{d.Train}: found {all.Classes.Count} class(es); classification needs at " +
            $"least 2");
        if (d.MultiLabel && all.Classes.Count < 2) throw new PodiumException($"{d.Train}: found {all.Classes.Count} label(s)");
        int inputs = all.Count + load.Skipped.Count;

        if (d.Val is not null)
        {
            var valLoad = DatasetReader.Open(d.Val, all.Classes, multiLabel: d.MultiLabel);
            skipped.AddRange(valLoad.Skipped);
            return new DataSetup
            {
                Train = all,
                Val = Loaders.Prepare(valLoad, d),
                Classes = all.Classes,
                TrainPipeline = trainPipeline,
                ValPipeline = valPipeline,
                Skipped = skipped,
                InputCount = inputs + valLoad.Dataset.Count + valLoad.Skipped.Count,
                Description = $"validation data {d.Val}",
            };
        }
        if (d.ValSplit <= 0) throw new ConfigException("data.val_split: is 0 and data.val is not set; give one of them");
        var (train, val) = Splits.StratifiedGroupHoldout(all.Labels(), all.Groups(), d.ValSplit, config.Seed);
        if (val.Length == 0)
            throw new PodiumException(F($"data.val_split: {d.ValSplit} of {d.Train} leaves no validation image (every class keeps its ") +
                "only image, or its only group, for training); give data.val, or more images per class");
        return new DataSetup
        {
            Train = new DatasetView(all, train),
            Val = new DatasetView(all, val),
            Classes = all.Classes,
            TrainPipeline = trainPipeline,
            ValPipeline = valPipeline,
            Skipped = skipped,
            InputCount = inputs,
            Holdout = (all, train, val),
            Description = F($"stratified hold-out of {d.ValSplit * 100:0.#}%, seed {config.Seed}"),
        };
    }

    /// <summary>data.split: the split file lists the images; data.fold (k-fold files) or its subsets say which side each is on.</summary>
    private static DataSetup FromSplitFile(PodiumConfig config, Pipeline trainPipeline, Pipeline valPipeline)
    {
        var d = config.Data;
        var split = SplitFile.Read(d.Split!, d.Fold, multiLabel: d.MultiLabel);
        var all = Loaders.Prepare(new DatasetLoad(split.Data, split.Skipped), d);
        if (all.Classes.Count < 2) throw new PodiumException($"{d.Split}: found {all.Classes.Count} class(es); classification needs at " +
            $"least 2");
        if (split.Train.Length == 0 || split.Val.Length == 0)
            throw new PodiumException($"{d.Split}: {split.Description} leaves {split.Train.Length} training and {split.Val.Length} " +
                $"validation images; both sides need some");
        return new DataSetup
        {
            Train = new DatasetView(all, split.Train),
            Val = new DatasetView(all, split.Val),
            Classes = all.Classes,
            TrainPipeline = trainPipeline,
            ValPipeline = valPipeline,
            Skipped = split.Skipped,
            InputCount = all.Count + split.Skipped.Count,
            Holdout = (all, split.Train, split.Val),
            Description = $"{split.Description} ({split.Test.Length} test images kept out)",
        };
    }

    /// <summary>The training batches: shuffled (or as the sampler draws), augmented, collated for the task.</summary>
    public BatchLoader<TBatch> TrainLoader<TBatch>(PodiumConfig c, ICollator<TBatch> collator) where TBatch : ImageBatch => new(Train,
        TrainPipeline, c.Data.Channels,
        c.Train.BatchSize, shuffle: true, dropLast: c.Train.DropLast, c.Data.Workers, c.Data.Prefetch, c.Seed, collator,
        Samplers.Create(c.Train.Sampler, Train.Labels(), c.Train.BatchSize, c.Seed));

}
