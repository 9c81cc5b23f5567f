using OpenCvSharp;
using Podium.Augment;
using Podium.Data;
using Podium.Platform;

namespace Podium.Runs;

/// <summary>
/// A grid of augmented samples, exactly as the loader would produce them before normalisation,
/// with masks tinted and polygons and boxes drawn: what the model will see.
/// </summary>
public static class AugmentPreview
{
    public static Mat Render(ImageDataset data, Pipeline pipeline, int channels, int n, int seed, int epoch = 1)
    {
        if (data.Count == 0) throw new PodiumException("preview: the dataset is empty");
        int tile = Math.Clamp(Math.Max(pipeline.Width, pipeline.Height), 96, 320);
        int columns = (int)Math.Ceiling(Math.Sqrt(n)), rows = (n + columns - 1) / columns;
        const int label = 18, gap = 4;
        var grid = new Mat(rows * (tile + label + gap), columns * (tile + gap), MatType.CV_8UC3, Scalar.All(255));
        var picker = new Random(seed);
        for (int k = 0; k < n; k++)
        {
            int index = picker.Next(data.Count);
            using var target = new AugmentTarget(data.Read(index, channels));
            if (data.Polygons(index) is { } regions) target.WithPolygons(regions);
            // The same per-sample seed the loader uses for this sample and epoch.
            pipeline.Transforms.Apply(target, new Random(Seeds.For(seed, epoch, index)));
            Warp.Resize(target, pipeline.Width, pipeline.Height);
            using var shown = TargetTile.Draw(target, tile);
            int x = k % columns * (tile + gap), y = k / columns * (tile + label + gap);
            using (var roi = new Mat(grid, new Rect(x, y + label, tile, tile))) shown.CopyTo(roi);
            // Class data shows the class; OCR data (one class, "text") and unlabelled data the file name.
            var caption = data.Label(index) >= 0 && data.Polygons(index) is null
                ? data.Classes[data.Label(index)] : Path.GetFileName(data.Locate(index));
            Cv2.PutText(grid, caption.Length > 24 ? caption[..24] : caption, new Point(x + 2, y + 13), HersheyFonts.HersheySimplex, 0.42,
                Scalar.All(40), 1, LineTypes.AntiAlias);
        }
        return grid;
    }
}
