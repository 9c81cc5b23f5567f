using OpenCvSharp;

namespace Podium.Data;

/// <summary>A dataset of image files on disk.</summary>
public sealed class FileImageDataset(IReadOnlyList<ImageFile> files, IReadOnlyList<string> classes, string root,
    bool multiLabel = false) : ImageDataset
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
