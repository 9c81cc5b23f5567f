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
    /// <summary>The sample's class; for multi-label data its rarest label (what splits stratify by), or <see cref="Unlabelled"/> without labels.</summary>
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

    /// <summary>Multi-label data: the sample's labels (indices into <see cref="Classes"/>, ascending); null for single-label data or an unlabelled sample.</summary>
    public virtual int[]? Tags(int index) => null;
}

/// <summary>One image file and its label, as listed by a folder tree or a CSV manifest; files of one
/// group (e.g. augmented copies of one source image) must stay on the same side of a split.</summary>
public sealed record ImageFile(string Path, int Label, string? Group = null, Rect2d? Box = null, int[]? Tags = null);

/// <summary>A dataset of image files on disk.</summary>
public sealed class FileImageDataset(IReadOnlyList<ImageFile> files, IReadOnlyList<string> classes, string root, bool multiLabel = false) : ImageDataset
{
    public override bool MultiLabel { get; } = multiLabel;
    public override int[]? Tags(int index) => Files[index].Tags;
    public IReadOnlyList<ImageFile> Files { get; } = files;
    /// <summary>The folder ids are relative to (the image folder, or the CSV's folder).</summary>
    public string Root { get; } = root;
    public override int Count => Files.Count;
    public override IReadOnlyList<string> Classes { get; } = classes;
    public override int Label(int index) => Files[index].Label;
    public override string Locate(int index) => Files[index].Path;
    public override Mat Read(int index, int channels) => ImageDecoder.Read(Files[index].Path, channels);
    public override string[]? Groups() => Files.Any(f => f.Group is not null) ? Files.Select(f => f.Group ?? f.Path).ToArray() : null;
    public override Rect2d? Box(int index) => Files[index].Box;
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
    public override Rect2d? Box(int index) => Source.Box(Indices[index]);
    public override bool MultiLabel => Source.MultiLabel;
    public override int[]? Tags(int index) => Source.Tags(Indices[index]);
    public override string[]? Groups() => Source.Groups() is { } g ? Indices.Select(i => g[i]).ToArray() : null;
}

/// <summary>
/// crop: bbox: each image cropped to its annotated box widened by <paramref name="margin"/> (a fraction
/// of the box's size on every side) before any augmentation; images without a box stay whole.
/// </summary>
public sealed class BoxCropDataset(ImageDataset source, double margin) : ImageDataset
{
    public ImageDataset Source { get; } = source;
    public override int Count => Source.Count;
    public override IReadOnlyList<string> Classes => Source.Classes;
    public override int Label(int index) => Source.Label(index);
    public override string Locate(int index) => Source.Locate(index);
    public override string[]? Groups() => Source.Groups();
    public override Rect2d? Box(int index) => Source.Box(index);
    public override bool MultiLabel => Source.MultiLabel;
    public override int[]? Tags(int index) => Source.Tags(index);

    public override Mat Read(int index, int channels)
    {
        var image = Source.Read(index, channels);
        if (Source.Box(index) is not { } b) return image;
        using (image)
        {
            double mx = b.Width * margin, my = b.Height * margin;
            int x1 = (int)Math.Floor(Math.Max(0, b.X - mx)), y1 = (int)Math.Floor(Math.Max(0, b.Y - my));
            int x2 = (int)Math.Ceiling(Math.Min(image.Width, b.X + b.Width + mx)), y2 = (int)Math.Ceiling(Math.Min(image.Height, b.Y + b.Height + my));
            if (x2 - x1 < 1 || y2 - y1 < 1)
                throw new PodiumException($"{Locate(index)}: box x={b.X} y={b.Y} w={b.Width} h={b.Height} lies outside the {image.Width}x{image.Height} image");
            using var roi = new Mat(image, new Rect(x1, y1, x2 - x1, y2 - y1));
            return roi.Clone();
        }
    }
}
