namespace Podium.Eda;

/// <summary>What one pass over an image file learns: everything the EDA report, the duplicate finder,
/// normalisation statistics and adversarial validation need, so each file is decoded once.</summary>
public sealed class ImageFacts
{
    public const int ThumbSide = 32;

    public required int Index { get; init; }
    public required string Path { get; init; }
    public required int Label { get; init; }
    /// <summary>"train" or "test": which of the compared datasets the file belongs to.</summary>
    public required string Set { get; init; }
    public long Bytes { get; set; }
    public string Format { get; set; } = "";
    public int Width { get; set; }
    public int Height { get; set; }
    /// <summary>Channels as stored (1 = grayscale file, 3 = colour).</summary>
    public int Channels { get; set; }
    /// <summary>A colour file whose three channels are equal: grayscale in disguise.</summary>
    public bool GrayAsColor { get; set; }
    /// <summary>Per-channel RGB mean and standard deviation of the pixels, in [0, 1].</summary>
    public double[] Mean { get; set; } = [];
    public double[] Std { get; set; } = [];
    /// <summary>Mean luma in [0, 1].</summary>
    public double Brightness { get; set; }
    /// <summary>RMS contrast: the standard deviation of luma, in [0, 1].</summary>
    public double Contrast { get; set; }
    /// <summary>Variance of the Laplacian of luma (0..255 scale): low for blurred or flat images.</summary>
    public double Sharpness { get; set; }
    public string Sha256 { get; set; } = "";
    public ulong PHash { get; set; }
    /// <summary>32x32 luma thumbnail, zero mean and unit norm: dot products are correlations.</summary>
    public float[] Thumb { get; set; } = [];
    /// <summary>8-bin histograms of R, G and B (fractions), from a small thumbnail.</summary>
    public float[] ColorHistogram { get; set; } = [];
    /// <summary>Why the file could not be read; null when it was.</summary>
    public string? Problem { get; set; }
    public bool Readable => Problem is null;
    public double Aspect => Height == 0 ? 0 : (double)Width / Height;
}
