namespace Podium.Runs;

/// <summary>A written split file and what is in each part.</summary>
/// <param name="Counts">Images per part and class (multi-label: per part and label, so an image counts once per label it has).</param>
public sealed record SplitResult(string Path, string Column, IReadOnlyList<string> Parts, IReadOnlyList<string> Classes, int[,] Counts,
    int[] Sizes, int Groups, int Skipped, string SkipSummary)
{
    /// <summary>With --like: the train-vs-test classifier's result.</summary>
    public Eda.AdversarialResult? Adversarial { get; init; }
    public string? AdversarialPlot { get; init; }
}
