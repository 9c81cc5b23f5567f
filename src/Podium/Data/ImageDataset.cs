using OpenCvSharp;

namespace Podium.Data;

/// <summary>
/// A labelled (or unlabelled) collection of images. Images are read on demand, as 8-bit
/// RGB or grayscale <see cref="Mat"/>s with the requested channel count, from any thread.
/// </summary>
public abstract class ImageDataset
{
    public const int Unlabelled = -1;

    public abstract int Count { get; }
    /// <summary>Class names; a label is an index into this list.</summary>
    public abstract IReadOnlyList<string> Classes { get; }
    /// <summary>The sample's class; for multi-label data its rarest label (what splits stratify by), or <see cref="Unlabelled"/> without
    /// labels.</summary>
    public abstract int Label(int index);
    /// <summary>Where the sample comes from, for messages and submissions (a path, or file#index).</summary>
    public abstract string Locate(int index);
    /// <summary>Reads sample <paramref name="index"/> as an 8-bit Mat with 1 (gray) or 3 (RGB) channels.</summary>
    public abstract Mat Read(int index, int channels);

    public int[] Labels() => Enumerable.Range(0, Count).Select(Label).ToArray();

    /// <summary>The group of each sample, or null when the data has no groups.</summary>
    public virtual string[]? Groups() => null;

    /// <summary>Sample <paramref name="index"/>'s text regions (OCR data), or null when the data has none.</summary>
    public virtual IReadOnlyList<Augment.Polygon>? Polygons(int index) => null;

    /// <summary>The annotated box of the object in sample <paramref name="index"/> (pixels), or null when it has none.</summary>
    public virtual Rect2d? Box(int index) => null;

    /// <summary>Multi-label data: every sample has a set of labels (<see cref="Tags"/>), possibly empty.</summary>
    public virtual bool MultiLabel => false;

    /// <summary>Multi-label data: the sample's labels (indices into <see cref="Classes"/>, ascending); null for single-label data or an
    /// unlabelled sample.</summary>
    public virtual int[]? Tags(int index) => null;
}
