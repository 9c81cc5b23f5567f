using System.Security.Cryptography;
using OpenCvSharp;
using Podium.Data;

namespace Podium.Eda;

/// <summary>
/// Scans the images of a dataset in parallel, one decode per file: size, channels, format,
/// colour statistics, brightness, contrast, sharpness, a SHA-256 of the bytes and a perceptual hash.
/// </summary>
public static class ImageScan
{
    /// <param name="throughDataset">Measure the images as the dataset delivers them (cropped, from idx files) rather than the files' bytes;
    /// file facts (hash, format, size on disk) are then left empty.</param>
    public static ImageFacts[] Run(ImageDataset data, string set, Action<int>? progress = null, int threads = 0,
        bool throughDataset = false)
    {
        var facts = new ImageFacts[data.Count];
        int done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        Parallel.For(0, data.Count, options, i =>
        {
            facts[i] = throughDataset ? MeasureSample(data, i, set) : Measure(data.Locate(i), i, data.Label(i), set);
            progress?.Invoke(Interlocked.Increment(ref done));
        });
        return facts;
    }

    /// <summary>
    /// Scans a dataset and, when given, the test set it is compared with, under one progress bar;
    /// idx data (no files of its own) is measured through its decoder.
    /// </summary>
    public static (ImageFacts[] Train, ImageFacts[] Test) RunPair(ImageDataset train, ImageDataset? test, string title, int threads) =>
        Platform.WorkProgress.Run(title, train.Count + (test?.Count ?? 0), report =>
        {
            var a = Run(train, "train", report, threads, throughDataset: train is IdxImageDataset);
            var b = test is null ? [] : Run(test, "test", done => report(train.Count + done), threads,
                throughDataset: test is IdxImageDataset);
            return (a, b);
        });

    private static unsafe ImageFacts MeasureSample(ImageDataset data, int index, string set)
    {
        var f = new ImageFacts { Index = index, Path = data.Locate(index), Label = data.Label(index), Set = set };
        using var image = data.Read(index, 3);
        Cv2.CvtColor(image, image, ColorConversionCodes.RGB2BGR);
        MeasurePixels(image, f);
        // No file of its own: identical pixels are the exact duplicate.
        using var packed = image.IsContinuous() ? null : image.Clone(); // a clone is continuous
        var pixels = packed ?? image;
        f.Sha256 = Convert.ToHexStringLower(SHA256.HashData(new ReadOnlySpan<byte>((void*)pixels.Data,
            checked((int)(pixels.Total() * pixels.ElemSize())))));
        f.Format = "decoded";
        return f;
    }

    public static ImageFacts Measure(string path, int index, int label, string set)
    {
        var f = new ImageFacts { Index = index, Path = path, Label = label, Set = set };
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { f.Problem = $"cannot read ({e.Message})"; return f; }
        f.Bytes = bytes.Length;
        f.Format = ImageDecoder.Sniff(bytes.AsSpan(0, Math.Min(16, bytes.Length))) ?? "unknown";
        f.Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        // AnyColor keeps a grayscale file single-channel (so the report can say so) and gives 8 bits.
        using var image = bytes.Length == 0 ? new Mat() : Cv2.ImDecode(bytes, ImreadModes.AnyColor);
        if (image.Empty()) { f.Problem = bytes.Length == 0 ? "empty file (0 bytes)" : "cannot decode"; return f; }
        MeasurePixels(image, f);
        return f;
    }

    /// <summary>Everything measured from the pixels of an 8-bit BGR or grayscale image.</summary>
    private static void MeasurePixels(Mat image, ImageFacts f)
    {
        f.Width = image.Width;
        f.Height = image.Height;
        f.Channels = image.Channels();
        using var gray = new Mat();
        if (f.Channels == 1) image.CopyTo(gray); else Cv2.CvtColor(image, gray, ColorConversionCodes.BGR2GRAY);

        Cv2.MeanStdDev(image, out var mean, out var std);
        // OpenCV's order is BGR; reports and Normalize use RGB.
        f.Mean = f.Channels == 1 ? [mean.Val0 / 255, mean.Val0 / 255, mean.Val0 / 255] : [mean.Val2 / 255, mean.Val1 / 255,
            mean.Val0 / 255];
        f.Std = f.Channels == 1 ? [std.Val0 / 255, std.Val0 / 255, std.Val0 / 255] : [std.Val2 / 255, std.Val1 / 255, std.Val0 / 255];
        Cv2.MeanStdDev(gray, out var luma, out var spread);
        f.Brightness = luma.Val0 / 255;
        f.Contrast = spread.Val0 / 255;
        using (var laplacian = new Mat())
        {
            Cv2.Laplacian(gray, laplacian, MatType.CV_16S);
            Cv2.MeanStdDev(laplacian, out _, out var edges);
            f.Sharpness = edges.Val0 * edges.Val0;
        }

        using var small = new Mat();
        Cv2.Resize(image, small, new Size(16, 16), 0, 0, InterpolationFlags.Area);
        f.GrayAsColor = f.Channels == 3 && IsGray(image);
        f.ColorHistogram = Histogram(small);
        (f.Thumb, f.PHash) = ThumbAndHash(gray);
    }

    /// <summary>All three channels equal everywhere (checked on every pixel, rows at a time).</summary>
    private static unsafe bool IsGray(Mat bgr)
    {
        int rows = bgr.Rows, width = bgr.Cols;
        for (int y = 0; y < rows; y++)
        {
            byte* p = (byte*)bgr.Ptr(y);
            for (int x = 0; x < width; x++, p += 3)
                if (p[0] != p[1] || p[1] != p[2]) return false;
        }
        return true;
    }

    private static unsafe float[] Histogram(Mat small)
    {
        var h = new float[24];
        int rows = small.Rows, cols = small.Cols, c = small.Channels();
        float unit = 1f / (rows * cols);
        for (int y = 0; y < rows; y++)
        {
            byte* p = (byte*)small.Ptr(y);
            for (int x = 0; x < cols; x++, p += c)
                for (int k = 0; k < 3; k++)
                    h[k * 8 + (p[c == 1 ? 0 : 2 - k] >> 5)] += unit; // R, G, B order
        }
        return h;
    }

    /// <summary>
    /// The 32x32 area-averaged luma thumbnail (normalised for correlation) and the classic pHash:
    /// DCT of that thumbnail, the 8x8 lowest frequencies, one bit each for "above the median"
    /// (the DC term left out of the median).
    /// </summary>
    private static unsafe (float[] Thumb, ulong Hash) ThumbAndHash(Mat gray)
    {
        using var thumb8 = new Mat();
        Cv2.Resize(gray, thumb8, new Size(ImageFacts.ThumbSide, ImageFacts.ThumbSide), 0, 0, InterpolationFlags.Area);
        using var thumb = new Mat();
        thumb8.ConvertTo(thumb, MatType.CV_32F);
        using var dct = new Mat();
        Cv2.Dct(thumb, dct);
        var low = new float[64];
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++) low[y * 8 + x] = dct.At<float>(y, x);
        var sorted = low[1..].Order().ToArray();
        float median = (sorted[31] + sorted[32]) / 2;
        ulong hash = 0;
        for (int k = 0; k < 64; k++) if (low[k] > median) hash |= 1UL << k;

        var values = new float[ImageFacts.ThumbSide * ImageFacts.ThumbSide];
        new Span<float>((void*)thumb.Data, values.Length).CopyTo(values);
        float average = values.Average();
        double norm = 0;
        for (int i = 0; i < values.Length; i++) { values[i] -= average; norm += values[i] * values[i]; }
        float scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0;
        for (int i = 0; i < values.Length; i++) values[i] *= scale;
        return (values, hash);
    }

    /// <summary>
    /// Pixel-weighted mean and std per RGB channel over readable images: Normalize's parameters
    /// (of luma alone with <paramref name="gray"/>, for single-channel models).
    /// </summary>
    public static (double[] Mean, double[] Std) ChannelStats(IEnumerable<ImageFacts> facts, bool gray = false)
    {
        double n = 0;
        int channels = gray ? 1 : 3;
        var sum = new double[channels];
        var squares = new double[channels];
        foreach (var f in facts.Where(f => f.Readable))
        {
            double pixels = (double)f.Width * f.Height;
            n += pixels;
            for (int k = 0; k < channels; k++)
            {
                double m = gray ? f.Brightness : f.Mean[k], s = gray ? f.Contrast : f.Std[k];
                sum[k] += pixels * m;
                squares[k] += pixels * (s * s + m * m);
            }
        }
        if (n == 0) throw new PodiumException("no readable image to compute channel statistics from");
        var mean = sum.Select(s => s / n).ToArray();
        var std = squares.Select((s, k) => Math.Sqrt(Math.Max(0, s / n - mean[k] * mean[k]))).ToArray();
        return (mean, std);
    }
}
