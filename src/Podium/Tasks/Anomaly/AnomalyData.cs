using Podium.Config;
using Podium.Data;
using Podium.Tasks.Classification;
using static Podium.Platform.Invariant;

namespace Podium.Tasks.Anomaly;

/// <summary>
/// The images of an anomaly detection run. With anomaly.normal, labelled data split as classification splits it (data.split,
/// data.val or the seeded hold-out): the training side's normal images train, the validation side's images (normal or not) judge
/// and choose the threshold. Without it, every image of data.train is normal (labels unread) and a seeded share of them
/// (data.val_split) is held out to choose the threshold by a percentile.
/// </summary>
public static class AnomalyData
{
    /// <summary>The run's data, which validation images are anomalies, and the config with what preparing the data settled.</summary>
    public static (TaskData Data, bool[] ValAnomalous, PodiumConfig Config) Prepare(PodiumConfig config, Action<string> log)
    {
        var d = config.Data;
        var normal = config.Anomaly!.Normal;
        if (normal is null)
        {
            if (d.Val is not null || d.Split is not null)
                throw new ConfigException($"anomaly.normal: {d.Val ?? d.Split} is labelled data: name its normal classes (the others are " +
                    "the anomalies)");
            return AllNormal(config);
        }
        var setup = DataSetup.Prepare(config, log);
        var other = Anomalous(setup.Train, normal);
        var normalTrain = Enumerable.Range(0, setup.Train.Count).Where(i => !other[i]).ToArray();
        if (normalTrain.Length == 0) throw new PodiumException($"{d.Split ?? d.Train}: no training image of the normal classes " +
            $"({string.Join(", ", normal)})");
        if (normalTrain.Length < setup.Train.Count)
            log($"{setup.Train.Count - normalTrain.Length} training images of other classes left out: the detector learns from " +
                $"normal images only");
        var data = new TaskData(new DatasetView(setup.Train, normalTrain), setup.Val, setup.Classes, setup.Skipped, setup.InputCount,
            $"{setup.Description}; normal: {string.Join(", ", normal)}", setup.Holdout);
        return (data, Anomalous(setup.Val, normal), setup.Config);
    }

    /// <summary>Which images are not of the normal classes; a normal class the data lacks is refused by name.</summary>
    public static bool[] Anomalous(ImageDataset data, IReadOnlyList<string> normal, string key = "anomaly.normal")
    {
        foreach (var name in normal.Where(n => !data.Classes.Contains(n)))
            throw new ConfigException($"{key}: '{name}' is not a class of the data (its classes: {string.Join(", ", data.Classes)})");
        var labels = normal.Select(n => data.Classes.ToList().IndexOf(n)).ToHashSet();
        return [.. Enumerable.Range(0, data.Count).Select(i => !labels.Contains(data.Label(i)))];
    }

    /// <summary>The test rows of the run's split file (data.split), or null when it has none.</summary>
    public static ImageDataset? Test(PodiumConfig config)
    {
        var d = config.Data;
        if (d.Split is null) return null;
        var split = SplitFile.Read(d.Split, d.Fold);
        if (split.Test.Length == 0) return null;
        return new DatasetView(Loaders.Prepare(new DatasetLoad(split.Data, split.Skipped), d), split.Test);
    }

    private static (TaskData, bool[], PodiumConfig) AllNormal(PodiumConfig config)
    {
        var d = config.Data;
        var load = DatasetReader.Open(d.Train, labelled: false);
        var all = Loaders.Prepare(load, d);
        if (all.Count == 0) throw new PodiumException($"{d.Train}: no images to learn normal from" + (load.Skipped.Count > 0
            ? $" ({load.Skipped.Count} unreadable: {SkippedInput.Summarize(load.Skipped)})" : ""));
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(config.Seed).Shuffle(order);
        int held = (int)Math.Round(d.ValSplit * all.Count);
        if (held == 0 || held == all.Count) throw new PodiumException(F($"data.val_split: {d.ValSplit} of {all.Count} images of ") +
            $"{d.Train} leaves {(held == 0 ? "no validation" : "no training")} image; the threshold is chosen on held-out normal images");
        int[] val = [.. order[..held].Order()], train = [.. order[held..].Order()];
        var data = new TaskData(new DatasetView(all, train), new DatasetView(all, val), [], load.Skipped, all.Count + load.Skipped.Count,
            F($"every image normal; a seeded {d.ValSplit * 100:0.#}% held out (seed {config.Seed}) to choose the threshold"),
            (all, train, val));
        return (data, new bool[val.Length], config);
    }
}
