using OpenCvSharp;

namespace Podium.Ocr;

/// <summary>
/// A batch of line images as a CTC recogniser reads them, PaddleOCR's <c>resize_norm_img</c>: each RGB line resized
/// (bilinear) to <c>height</c> with its aspect ratio kept, width ceil(height · w / h) at most the batch width, scaled to
/// [−1, 1], and zero-padded on the right to the batch width (the widest line's, rounded up to <see cref="WidthStep"/>, and at
/// least <c>minWidth</c>). Planes in BGR order when <c>bgr</c> (how PaddleOCR's networks
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
        var widths = lines.Select(l => Width(l.Width, l.Height, height, maxWidth)).ToArray();
        // At least every line's width: each is at most maxWidth and at most the rounded-up widest.
        var width = PaddedWidth(widths.DefaultIfEmpty(0).Max(), minWidth, maxWidth);
        var data = new float[lines.Count * 3 * height * width];
        int plane = 3 * height * width;
        for (var i = 0; i < lines.Count; i++) Write(lines[i], height, widths[i], bgr, data.AsSpan(i * plane, plane), width);
        return (data, [lines.Count, 3, height, width]);
    }

    /// <summary>Batch widths are multiples of this, so every line fills whole CTC steps at either stride (4 or 8 px).</summary>
    public const int WidthStep = 8;

    /// <summary>A batch's width for its widest line: rounded up to <see cref="WidthStep"/>, at least <paramref name="minWidth"/>,
    /// at most <paramref name="maxWidth"/>.</summary>
    public static int PaddedWidth(int widest, int minWidth, int maxWidth) =>
        Math.Min(maxWidth, Math.Max(minWidth, (widest + WidthStep - 1) / WidthStep * WidthStep));

    /// <summary>The width in pixels a line of <paramref name="lineWidth"/> x <paramref name="lineHeight"/> takes at
    /// <paramref name="height"/> (its aspect kept, at most <paramref name="maxWidth"/>).</summary>
    public static int Width(int lineWidth, int lineHeight, int height, int maxWidth) =>
        Math.Max(1, Math.Min(maxWidth, (int)Math.Ceiling(height * (double)lineWidth / Math.Max(1, lineHeight))));

    /// <summary>One RGB line resized to <paramref name="height"/> x <paramref name="width"/> and scaled into the left of
    /// <paramref name="destination"/>'s planes of rows <paramref name="stride"/> floats long (the rest of each row is left
    /// as it is).</summary>
    public static void Write(Mat line, int height, int width, bool bgr, Span<float> destination, int stride)
    {
        using var resized = line.Resize(new Size(width, height), 0, 0, InterpolationFlags.Linear);
        if (bgr) Cv2.CvtColor(resized, resized, ColorConversionCodes.RGB2BGR);
        var planes = new float[3 * height * width];
        Scale.WriteChw(resized, planes);
        // Row by row into the batch's wider rows.
        for (var row = 0; row < 3 * height; row++) planes.AsSpan(row * width, width).CopyTo(destination.Slice(row * stride, width));
    }
}
