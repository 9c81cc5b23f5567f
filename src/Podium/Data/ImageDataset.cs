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
}

/// <summary>One image file and its label, as listed by a folder tree or a CSV manifest; files of one
/// group (e.g. augmented copies of one source image) must stay on the same side of a split.</summary>
public sealed record ImageFile(string Path, int Label, string? Group = null);

/// <summary>A dataset of image files on disk.</summary>
public sealed class FileImageDataset(IReadOnlyList<ImageFile> files, IReadOnlyList<string> classes, string root) : ImageDataset
{
    public IReadOnlyList<ImageFile> Files { get; } = files;
    /// <summary>The folder ids are relative to (the image folder, or the CSV's folder).</summary>
    public string Root { get; } = root;
    public override int Count => Files.Count;
    public override IReadOnlyList<string> Classes { get; } = classes;
    public override int Label(int index) => Files[index].Label;
    public override string Locate(int index) => Files[index].Path;
    public override Mat Read(int index, int channels) => ImageDecoder.Read(Files[index].Path, channels);
    public override string[]? Groups() => Files.Any(f => f.Group is not null) ? Files.Select(f => f.Group ?? f.Path).ToArray() : null;
}

/// <summary>A view of some samples of another dataset (a split, a fold, a toy subset).</summary>
public sealed class DatasetView(ImageDataset source, int[] indices) : ImageDataset
{
    public ImageDataset Source { get; } = source;
    public IReadOnlyList<int> Indices { get; } = indices;
    public override int Count => Indices.Count;
    public override IReadOnlyList<string> Classes => Source.Classes;
    public override int Label(int index) => Source.Label(Indices[index]);
    public override string Locate(int index) => Source.Locate(Indices[index]);
    public override Mat Read(int index, int channels) => Source.Read(Indices[index], channels);
    public override IReadOnlyList<Augment.Polygon>? Polygons(int index) => Source.Polygons(Indices[index]);
}
