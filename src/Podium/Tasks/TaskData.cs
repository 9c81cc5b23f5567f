using Podium.Data;

namespace Podium.Tasks;

/// <summary>
/// The data of a training run: training and validation samples, the class names, what was left out and why, and for a
/// hold-out the full dataset and each side's indices (saved as split.csv, so evaluation sees the same split).
/// </summary>
public sealed record TaskData(ImageDataset Train, ImageDataset Val, IReadOnlyList<string> Classes, IReadOnlyList<SkippedInput> Skipped,
    int InputCount, string Description, (ImageDataset Source, int[] Train, int[] Val)? Holdout = null);
