using Podium.Augment;
using Podium.Config;

namespace Podium.Data;

/// <summary>What happens to images before any pipeline (crop: bbox), and the loader that predicts them.</summary>
public static class Loaders
{
    /// <summary>What happens to every image before augmentation, for training and prediction alike (crop: bbox).</summary>
    public static ImageDataset Preprocess(ImageDataset data, DataConfig d) => d.Crop == "bbox" ? new BoxCropDataset(data,
        d.CropMargin) : data;

    /// <summary>Every image once, in order, as pixels only: for prediction and validation.</summary>
    public static BatchLoader<ImageBatch> Eval(ImageDataset data, Pipeline pipeline, PodiumConfig c) => new(data, pipeline, c.Data.Channels,
        c.Train.BatchSize, shuffle: false, dropLast: false, c.Data.Workers, c.Data.Prefetch, c.Seed, Collators.Images);
}
