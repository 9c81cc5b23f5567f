using OpenCvSharp;
using Podium.Augment;

namespace Podium.Data;

/// <summary>Images with text-region polygons, for detection; every sample has the one class "text".</summary>
public sealed class TextDetectionDataset(IReadOnlyList<TextImage> images, string root) : ImageDataset
{
    public IReadOnlyList<TextImage> Images { get; } = images;
    public string Root { get; } = root;
    public override int Count => Images.Count;
    public override IReadOnlyList<string> Classes { get; } = ["text"];
    public override int Label(int index) => 0;
    public override string Locate(int index) => Images[index].Path;
    public override Mat Read(int index, int channels) => ImageDecoder.Read(Images[index].Path, channels);
    public override IReadOnlyList<Polygon>? Polygons(int index) => Images[index].Regions;
    public override string[]? Groups() => Images.Any(i => i.Group is not null) ? Images.Select(i => i.Group ?? i.Path).ToArray() : null;
}
