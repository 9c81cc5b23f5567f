namespace Podium.Data;

/// <summary>A split read back for training: the data it lists and the indices of each side.</summary>
/// <param name="Pseudo">Rows marked pseudo (pseudo-labelled images, training side only); empty when the file has no pseudo column.</param>
public sealed record SplitAssignment(ImageDataset Data, int[] Train, int[] Val, int[] Test, IReadOnlyList<SkippedInput> Skipped,
    string Description, int[]? Pseudo = null);
