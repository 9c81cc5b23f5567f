using OpenCvSharp;

namespace Podium.Ocr;

/// <summary>
/// A batch of line images as a CTC recogniser reads them, PaddleOCR's <c>resize_norm_img</c>: each RGB line resized
/// (bilinear) to <c>height</c> with its aspect ratio kept, width ceil(height · w / h) at most the batch width, scaled to
/// [−1, 1], and zero-padded on the right to the batch width (the widest line's, rounded up to a multiple of 8 so every
/// line fills whole CTC steps, and at least <c>minWidth</c>). Planes in BGR order when <c>bgr</c> (how PaddleOCR's networks
/// were trained: OpenCV reads BGR).
/// </summary>
public static class LineImages
{
    /// <summary>x / 127.5 − 1, PaddleOCR's (x / 255 − 0.5) / 0.5.</summary>
    private static readonly Augment.Normalize Scale = new([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);

    public static (float[] Data, long[] Shape) Batch(IReadOnlyList<Mat> lines, int height = 48, int minWidth = 320,
        int maxWidth = 2048, bool bgr = true)
    {
        if (lines.FirstOrDefault(l => l.Type() != MatType.CV_8UC3) is { } odd)
            throw new ArgumentException($"line images must be 8-bit RGB, not {odd.Type()}", nameof(lines));
        var widths = lines.Select(l => Math.Min(maxWidth, (int)Math.Ceiling(height * (double)l.Width / Math.Max(1, l.Height))))
            .Select(w => Math.Max(1, w)).ToArray();
        // At least every line's width: each is at most maxWidth and at most the rounded-up widest.
        var width = Math.Min(maxWidth, Math.Max(minWidth, (widths.DefaultIfEmpty(0).Max() + 7) / 8 * 8));
        var data = new float[lines.Count * 3 * height * width];
        for (var i = 0; i < lines.Count; i++)
        {
            var w = widths[i];
            using var resized = lines[i].Resize(new Size(w, height), 0, 0, InterpolationFlags.Linear);
            if (bgr) Cv2.CvtColor(resized, resized, ColorConversionCodes.RGB2BGR);
            var planes = new float[3 * height * w];
            Scale.WriteChw(resized, planes);
            // Row by row into the batch's wider rows; the rest stays 0, the padding.
            for (var row = 0; row < 3 * height; row++)
                planes.AsSpan(row * w, w).CopyTo(data.AsSpan((i * 3 * height + row) * width, w));
        }
        return (data, [lines.Count, 3, height, width]);
    }
}
