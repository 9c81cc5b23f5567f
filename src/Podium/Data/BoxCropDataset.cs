using OpenCvSharp;

namespace Podium.Data;

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
            int x2 = (int)Math.Ceiling(Math.Min(image.Width, b.X + b.Width + mx)),
                y2 = (int)Math.Ceiling(Math.Min(image.Height, b.Y + b.Height + my));
            if (x2 - x1 < 1 || y2 - y1 < 1)
                throw new PodiumException($"{Locate(index)}: box x={b.X} y={b.Y} w={b.Width} h={b.Height} lies outside the " +
                    $"{image.Width}x{image.Height} image");
            using var roi = new Mat(image, new Rect(x1, y1, x2 - x1, y2 - y1));
            return roi.Clone();
        }
    }
}
