using Podium.Data;

namespace Podium.Eda;

/// <summary>The scanned facts of a dataset (and optionally a test set) with what was left out of each.</summary>
public sealed record ScannedData(ImageDataset Train, IReadOnlyList<SkippedInput> Skipped, ImageFacts[] Facts,
    ImageDataset? Test, IReadOnlyList<SkippedInput> TestSkipped, ImageFacts[] TestFacts);
