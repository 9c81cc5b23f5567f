using OpenCvSharp;

namespace Podium.Data;

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
