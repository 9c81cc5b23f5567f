using Podium.Augment;
using Podium.Config;

namespace Podium.Data;

/// <summary>What happens to images before any pipeline (crop: bbox), and the loader that predicts them.</summary>
public static class Loaders
{
    /// <summary>What happens to every image before augmentation, for training and prediction alike (crop: bbox).</summary>
    public static ImageDataset Preprocess(ImageDataset data, DataConfig d) => d.Crop == "bbox" ? new BoxCropDataset(data,
        d.CropMargin) : data;

    /// <summary>A dataset as read, ready for training: the bad-input policy applied, preprocessed (crop: bbox), and its decoded
    /// images cached up to data.cache_mb (idx files are in memory already).</summary>
    public static ImageDataset Prepare(DatasetLoad load, DataConfig d)
    {
        var data = Preprocess(load.Enforce(d.OnBadInput), d);
        return d.CacheMb > 0 && data is not IdxImageDataset ? new CachedDataset(data, d.CacheMb * 1024L * 1024L) : data;
    }

    /// <summary>Every image once, in order, through the validation pipeline.</summary>
    public static BatchLoader<ImageBatch> Eval(ImageDataset data, PodiumConfig c) => Eval(data, Augment.Pipelines.Val(c), c);

    /// <summary>Every image once, in order, as pixels only: for prediction and validation.</summary>
    public static BatchLoader<ImageBatch> Eval(ImageDataset data, Pipeline pipeline, PodiumConfig c) => new(data, pipeline, c.Data.Channels,
        c.Train.BatchSize, shuffle: false, dropLast: false, c.Data.Workers, c.Data.Prefetch, c.Seed, Collators.Images);
}
