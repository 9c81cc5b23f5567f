namespace Podium.Eda;

/// <summary>The user's thresholds for `podium eda`.</summary>
public sealed record EdaOptions
{
    /// <summary>Images with a side under this many pixels (or half the median short side, if less) are "tiny".</summary>
    public int MinSide { get; init; } = 32;
    /// <summary>Images whose long side exceeds this many times the short one are "extreme".</summary>
    public double MaxAspect { get; init; } = 5;
    /// <summary>Near duplicates: perceptual hashes at most this many bits apart...</summary>
    public int HashDistance { get; init; } = 10;
    /// <summary>...whose 32x32 thumbnails also correlate at least this much.</summary>
    public double Similarity { get; init; } = 0.99;
    /// <summary>OCR: text regions thinner than this (px) are "tiny".</summary>
    public double MinTextHeight { get; init; } = 6;
    /// <summary>OCR: points per line of ICDAR txt annotations (0: any number).</summary>
    public int TextPoints { get; init; } = Data.IcdarText.QuadPoints;
    /// <summary>Example images per class in the sample grid.</summary>
    public int SamplesPerClass { get; init; } = 8;
    /// <summary>Duplicate pairs drawn side by side in the report.</summary>
    public int PairsShown { get; init; } = 24;
    public int Threads { get; init; } = Environment.ProcessorCount;
    public int Seed { get; init; }
}
