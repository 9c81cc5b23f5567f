using OpenCvSharp;
using Podium.Data;

namespace Podium.Augment;

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
            using var shown = Tile(target, tile);
            int x = k % columns * (tile + gap), y = k / columns * (tile + label + gap);
            using (var roi = new Mat(grid, new Rect(x, y + label, tile, tile))) shown.CopyTo(roi);
            // Class data shows the class; OCR data (one class, "text") and unlabelled data the file name.
            var caption = data.Label(index) >= 0 && data.Polygons(index) is null ? data.Classes[data.Label(index)] : Path.GetFileName(data.Locate(index));
            Cv2.PutText(grid, caption.Length > 24 ? caption[..24] : caption, new Point(x + 2, y + 13), HersheyFonts.HersheySimplex, 0.42, Scalar.All(40), 1, LineTypes.AntiAlias);
        }
        return grid;
    }

    /// <summary>The target as a BGR tile of <paramref name="size"/> (letterboxed), with its geometry drawn.</summary>
    public static Mat Tile(AugmentTarget t, int size)
    {
        using var bgr = new Mat();
        Cv2.CvtColor(t.Image, bgr, t.Image.Channels() == 1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.RGB2BGR);
        if (t.Mask is not null)
        {
            using var on = new Mat();
            Cv2.Compare(t.Mask, Scalar.All(0), on, CmpTypes.GT);
            using var tint = new Mat(bgr.Size(), bgr.Type(), new Scalar(0, 0, 255));
            using var blended = new Mat();
            Cv2.AddWeighted(bgr, 0.6, tint, 0.4, 0, blended);
            blended.CopyTo(bgr, on);
        }
        double s = (double)size / Math.Max(t.Width, t.Height);
        var tile = new Mat(size, size, MatType.CV_8UC3, Scalar.All(230));
        using (var scaled = new Mat())
        {
            Cv2.Resize(bgr, scaled, new Size(Math.Max(1, (int)(t.Width * s)), Math.Max(1, (int)(t.Height * s))), 0, 0, InterpolationFlags.Linear);
            using var roi = new Mat(tile, new Rect(0, 0, scaled.Width, scaled.Height));
            scaled.CopyTo(roi);
        }
        Point P(Point2d q) => new((int)Math.Round(q.X * s), (int)Math.Round(q.Y * s));
        foreach (var p in t.Polygons) Cv2.Polylines(tile, [p.Points.Select(P).ToArray()], true, new Scalar(0, 200, 0), 1, LineTypes.AntiAlias);
        foreach (var b in t.Boxes) Cv2.Rectangle(tile, P(new(b.X1, b.Y1)), P(new(b.X2, b.Y2)), new Scalar(255, 120, 0), 1);
        foreach (var k in t.Keypoints) Cv2.Circle(tile, P(k), 2, new Scalar(0, 255, 255), -1);
        return tile;
    }
}
