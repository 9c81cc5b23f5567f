namespace Podium.Eda;

/// <summary>Two images that are the same file (Exact) or the same picture (near: re-encoded, resized, retouched).</summary>
public sealed record DuplicatePair(ImageFacts A, ImageFacts B, bool Exact, int HashDistance, double Similarity)
{
    /// <summary>
    /// The thumbnails compare luma with brightness and contrast removed, so a near pair may differ in
    /// colour: a recoloured copy (flowers has channel-swapped and grayscale twins) or two pictures of
    /// one layout (a dark disc on cyan and a light one on green). Said, not hidden.
    /// </summary>
    public bool Recoloured => Enumerable.Range(0, 3).Any(k => Math.Abs(A.Mean[k] - B.Mean[k]) > MaxMeanDifference);

    /// <summary>Per-channel mean difference (0..1) that re-encoding, resizing or mild retouching stays within.</summary>
    public const double MaxMeanDifference = 0.06;

    /// <summary>One image in train and the other in test: the test score would be inflated.</summary>
    public bool CrossesSets => A.Set != B.Set;
}
