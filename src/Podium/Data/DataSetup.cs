using Podium.Augment;
using Podium.Config;

namespace Podium.Data;

/// <summary>
/// The data side of a run, derived from its config alone: training data, the validation data
/// (a separate source, or a seeded stratified hold-out) and both pipelines. Evaluation re-derives
/// the same split from the same config, so any dataset kind (folder, CSV, idx) works alike.
/// </summary>
public sealed class DataSetup
{
    public required ImageDataset Train { get; init; }
    public required ImageDataset Val { get; init; }
    public required IReadOnlyList<string> Classes { get; init; }
    public required Pipeline TrainPipeline { get; init; }
    public required Pipeline ValPipeline { get; init; }
    public required IReadOnlyList<SkippedInput> Skipped { get; init; }
    public required int InputCount { get; init; }
    public string SkipSummary() => SkippedInput.Summarize(Skipped);
    /// <summary>For the hold-out case: the full dataset and the indices of each side.</summary>
    public (ImageDataset Source, int[] Train, int[] Val)? Holdout { get; init; }

    public static DataSetup Prepare(PodiumConfig config)
    {
        // Pipelines first: a config typo should fail before any file is scanned.
        var trainPipeline = BuildPipeline(config, config.Augment.Train, "augment.train");
        var valPipeline = BuildPipeline(config, config.Augment.Val, "augment.val");
        TtaViews(config, valPipeline);
        var d = config.Data;
        var load = DatasetReader.Open(d.Train);
        var skipped = new List<SkippedInput>(load.Skipped);
        var all = Cache(load.Enforce(d.OnBadInput), d);
        if (all.Classes.Count < 2) throw new PodiumException($"{d.Train}: found {all.Classes.Count} class(es); classification needs at least 2");
        int inputs = all.Count + load.Skipped.Count;

        if (d.Val is not null)
        {
            var valLoad = DatasetReader.Open(d.Val, all.Classes);
            skipped.AddRange(valLoad.Skipped);
            return new DataSetup
            {
                Train = all, Val = Cache(valLoad.Enforce(d.OnBadInput), d), Classes = all.Classes, TrainPipeline = trainPipeline,
                ValPipeline = valPipeline, Skipped = skipped, InputCount = inputs + valLoad.Dataset.Count + valLoad.Skipped.Count,
            };
        }
        if (d.ValSplit <= 0) throw new ConfigException("data.val_split: is 0 and data.val is not set; give one of them");
        var (train, val) = Splits.StratifiedGroupHoldout(all.Labels(), all.Groups(), d.ValSplit, config.Seed);
        return new DataSetup
        {
            Train = new DatasetView(all, train), Val = new DatasetView(all, val), Classes = all.Classes,
            TrainPipeline = trainPipeline, ValPipeline = valPipeline, Skipped = skipped, InputCount = inputs,
            Holdout = (all, train, val),
        };
    }

    private static ImageDataset Cache(ImageDataset data, DataConfig d) =>
        d.CacheMb > 0 && data is not IdxImageDataset ? new CachedDataset(data, d.CacheMb * 1024L * 1024L) : data;

    /// <summary>The validation pipeline (or a default resize to img_size) with the config's normalisation.</summary>
    public static Pipeline BuildPipeline(PodiumConfig config, List<object> items, string section)
    {
        var d = config.Data;
        if (items.Count == 0 && section != "augment.train") items = ["resize"];
        return TransformRegistry.Build(items, section, d.ImgSize, d.Mean, d.Std);
    }

    /// <summary>
    /// The test-time views of <c>augment.tta</c>: the val pipeline followed by each view's transforms
    /// (one transform, or a list); the plain val view is not among them.
    /// </summary>
    public static List<Pipeline> TtaViews(PodiumConfig config, Pipeline val)
    {
        var views = new List<Pipeline>();
        for (int i = 0; i < config.Augment.Tta.Count; i++)
        {
            var items = config.Augment.Tta[i] is IList<object> list ? list.ToList() : [config.Augment.Tta[i]];
            var view = TransformRegistry.Build(items, $"augment.tta[{i}]", config.Data.ImgSize, config.Data.Mean, config.Data.Std);
            views.Add(new Pipeline(new Compose([val.Transforms, view.Transforms]), val.Normalize, val.Height, val.Width));
        }
        return views;
    }

    public BatchLoader TrainLoader(PodiumConfig c) => new(Train, TrainPipeline, c.Data.Channels, c.Train.BatchSize,
        shuffle: true, dropLast: c.Train.DropLast, c.Data.Workers, c.Data.Prefetch, c.Seed);

    public static BatchLoader EvalLoader(ImageDataset data, Pipeline pipeline, PodiumConfig c) => new(data, pipeline, c.Data.Channels,
        c.Train.BatchSize, shuffle: false, dropLast: false, c.Data.Workers, c.Data.Prefetch, c.Seed);
}
