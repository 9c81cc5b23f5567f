using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

// Pixel-level colour transforms on 8-bit RGB (or gray) images. Each samples its parameters in Run
// and applies them through a static method taking fixed parameters, which the tests compare with
// the same operations in OpenCV-Python.

/// <summary>Shared 8-bit helpers.</summary>
internal static class Pixels
{
    /// <summary>dst = saturate(src * alpha + beta), rounded as OpenCV rounds.</summary>
    public static Mat Scale(Mat src, double alpha, double beta)
    {
        var dst = new Mat();
        src.ConvertTo(dst, src.Type(), alpha, beta);
        return dst;
    }

    /// <summary>A lookup table applied to every channel.</summary>
    public static Mat Lut(Mat src, Func<int, double> f)
    {
        var dst = new Mat();
        Lut(src, f, dst);
        return dst;
    }

    /// <summary>A lookup table applied to every channel, into <paramref name="dst"/> (which may be <paramref name="src"/>).</summary>
    public static void Lut(Mat src, Func<int, double> f, Mat dst)
    {
        var table = new byte[256];
        for (int i = 0; i < 256; i++) table[i] = (byte)Math.Clamp(Math.Round(f(i), MidpointRounding.ToEven), 0, 255);
        using var lut = Mat.FromPixelData(1, 256, MatType.CV_8UC1, table);
        Cv2.LUT(src, lut, dst);
    }

    public static bool IsColour(Mat m) => m.Channels() == 3;

    /// <summary>A Mat's rows as byte spans, with its layout read once (every Mat property is a P/Invoke).</summary>
    public readonly unsafe struct RowBytes
    {
        private readonly byte* _data;
        private readonly long _step;
        public int Rows { get; }
        public int Length { get; }

        /// <param name="flatten">A continuous Mat read element-wise can be one long row: no per-row scalar tails.</param>
        public RowBytes(Mat m, bool flatten = false)
        {
            _data = (byte*)m.Data;
            _step = m.Step();
            int rows = m.Rows, rowLength = m.Cols * (int)m.ElemSize();
            bool flat = flatten && m.IsContinuous() && (long)rows * rowLength <= int.MaxValue;
            (Rows, Length) = flat ? (1, rows * rowLength) : (rows, rowLength);
        }

        /// <summary>Row <paramref name="y"/>; the Mat must outlive the span.</summary>
        public Span<byte> this[int y] => new(_data + y * _step, Length);
    }

    /// <summary>ANDs every byte with <paramref name="mask"/> in place (vectorised; OpenCV's Scalar overload is 2x slower).</summary>
    public static void AndInPlace(Mat m, byte mask)
    {
        var rows = new RowBytes(m, flatten: true);
        var v = Vector256.Create(mask);
        for (int y = 0; y < rows.Rows; y++)
        {
            var row = rows[y];
            ref byte r0 = ref MemoryMarshal.GetReference(row);
            nuint i = 0, n = (nuint)row.Length, lanes = (nuint)Vector256<byte>.Count;
            for (; i + 2 * lanes <= n; i += 2 * lanes)
            {
                (Vector256.LoadUnsafe(ref r0, i) & v).StoreUnsafe(ref r0, i);
                (Vector256.LoadUnsafe(ref r0, i + lanes) & v).StoreUnsafe(ref r0, i + lanes);
            }
            for (; i < n; i++) row[(int)i] &= mask;
        }
    }

    /// <summary>
    /// Adds a signed offset per channel to an 8-bit interleaved image in place, saturating at 0 and
    /// 255 (cv::add with a Scalar, at memory speed: three vectors span a whole number of pixels).
    /// </summary>
    public static void AddPerChannelInPlace(Mat m, int[] offsets)
    {
        int c = m.Channels();
        if (m.Depth() != MatType.CV_8U
            || offsets.Length != c) throw new ArgumentException($"expected 8-bit with {offsets.Length} channels");
        int lanes = Vector256<byte>.Count, block = lanes * c; // c vectors hold lanes whole pixels
        Span<byte> up = stackalloc byte[block], down = stackalloc byte[block];
        for (int i = 0; i < block; i++)
        {
            int o = offsets[i % c];
            up[i] = (byte)Math.Clamp(o, 0, 255);
            down[i] = (byte)Math.Clamp(-o, 0, 255);
        }
        var ups = new Vector256<byte>[c];
        var downs = new Vector256<byte>[c];
        for (int k = 0; k < c; k++)
        {
            ups[k] = Vector256.Create<byte>(up[(k * lanes)..]);
            downs[k] = Vector256.Create<byte>(down[(k * lanes)..]);
        }
        var rows = new RowBytes(m, flatten: true);
        for (int y = 0; y < rows.Rows; y++)
        {
            var row = rows[y];
            ref byte r0 = ref MemoryMarshal.GetReference(row);
            nuint i = 0, n = (nuint)row.Length;
            for (; i + (nuint)block <= n; i += (nuint)block)
                for (int k = 0; k < c; k++)
                {
                    nuint at = i + (nuint)(k * lanes);
                    Vector256.SubtractSaturate(Vector256.AddSaturate(Vector256.LoadUnsafe(ref r0, at), ups[k]),
                        downs[k]).StoreUnsafe(ref r0, at);
                }
            for (; i < n; i++) row[(int)i] = (byte)Math.Clamp(row[(int)i] + offsets[(int)(i % (nuint)c)], 0, 255);
        }
    }

    /// <summary>dst = a + b, elementwise.</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        int i = 0, lanes = System.Numerics.Vector<float>.Count;
        for (; i <= a.Length - lanes; i += lanes)
            (new System.Numerics.Vector<float>(a[i..]) + new System.Numerics.Vector<float>(b[i..])).CopyTo(dst[i..]);
        for (; i < a.Length; i++) dst[i] = a[i] + b[i];
    }

    /// <summary>dst = a + b, b a constant.</summary>
    public static void Add(ReadOnlySpan<float> a, float b, Span<float> dst)
    {
        int i = 0, lanes = System.Numerics.Vector<float>.Count;
        var vb = new System.Numerics.Vector<float>(b);
        for (; i <= a.Length - lanes; i += lanes) (new System.Numerics.Vector<float>(a[i..]) + vb).CopyTo(dst[i..]);
        for (; i < a.Length; i++) dst[i] = a[i] + b;
    }

    /// <summary>Turns the (owned) image upside down in place: each byte read and written once, no new buffer.</summary>
    public static void FlipRowsInPlace(Mat m)
    {
        var rows = new RowBytes(m);
        for (int y = 0, z = rows.Rows - 1; y < z; y++, z--)
        {
            Span<byte> a = rows[y], b = rows[z];
            ref byte ra = ref MemoryMarshal.GetReference(a), rb = ref MemoryMarshal.GetReference(b);
            nuint i = 0, n = (nuint)a.Length, lanes = (nuint)Vector256<byte>.Count;
            for (; i + lanes <= n; i += lanes)
            {
                var va = Vector256.LoadUnsafe(ref ra, i);
                Vector256.LoadUnsafe(ref rb, i).StoreUnsafe(ref ra, i);
                va.StoreUnsafe(ref rb, i);
            }
            for (; i < n; i++) (a[(int)i], b[(int)i]) = (b[(int)i], a[(int)i]);
        }
    }

    /// <summary>Grayscale with three channels, into <paramref name="dst"/> (the input itself for an owned image: no new buffer).</summary>
    public static Mat Gray3(Mat rgb, Mat? dst = null)
    {
        using var gray = new Mat();
        Cv2.CvtColor(rgb, gray, ColorConversionCodes.RGB2GRAY);
        dst ??= new Mat();
        Cv2.CvtColor(gray, dst, ColorConversionCodes.GRAY2RGB);
        return dst;
    }

    /// <summary>Runs <paramref name="op"/> on each channel in place and merges the result into <paramref name="dst"/> (a new Mat by
    /// default; the input itself for an owned image).</summary>
    public static Mat PerChannel(Mat img, Action<Mat> op, Mat? dst = null)
    {
        var planes = Cv2.Split(img);
        try
        {
            foreach (var p in planes) op(p);
            dst ??= new Mat();
            Cv2.Merge(planes, dst);
            return dst;
        }
        finally { foreach (var p in planes) p.Dispose(); }
    }

    /// <summary>Applies per-channel lookup tables in HSV space (OpenCV's 8-bit H in 0..179).</summary>
    public static Mat InHsv(Mat rgb, Func<int, double> h, Func<int, double> s, Func<int, double> v)
    {
        using var hsv = new Mat();
        Cv2.CvtColor(rgb, hsv, ColorConversionCodes.RGB2HSV);
        var planes = Cv2.Split(hsv);
        try
        {
            using var h2 = Lut(planes[0], i => h(i));
            using var s2 = Lut(planes[1], s);
            using var v2 = Lut(planes[2], v);
            using var merged = new Mat();
            Cv2.Merge([h2, s2, v2], merged);
            var dst = new Mat();
            Cv2.CvtColor(merged, dst, ColorConversionCodes.HSV2RGB);
            return dst;
        }
        finally { foreach (var p in planes) p.Dispose(); }
    }

    /// <summary>Hue moved by <paramref name="shift"/> (OpenCV units, 180 a full turn), wrapping around.</summary>
    public static double WrapHue(int h, double shift) => ((h + shift) % 180 + 180) % 180;
}

/// <summary>
/// torchvision's ColorJitter: brightness, contrast and saturation factors uniform in [max(0, 1-x), 1+x]
/// and a hue shift uniform in [-h, h] (a fraction of a full turn), applied in random order.
/// </summary>
[Transform("color_jitter")]
public sealed class ColorJitter(ColorJitter.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [NonNegative] public double Brightness { get; init; } = 0.2;
        [NonNegative] public double Contrast { get; init; } = 0.2;
        [NonNegative] public double Saturation { get; init; } = 0.2;
        [Within(0, 0.5)] public double Hue { get; init; } = 0.2;
    }

    private readonly double brightness = o.Brightness, contrast = o.Contrast, saturation = o.Saturation, hue = o.Hue;

    public ColorJitter() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        double b = Sampling.Uniform(rng, Math.Max(0, 1 - brightness), 1 + brightness);
        double c = Sampling.Uniform(rng, Math.Max(0, 1 - contrast), 1 + contrast);
        double s = Sampling.Uniform(rng, Math.Max(0, 1 - saturation), 1 + saturation);
        double h = Sampling.Uniform(rng, -hue, hue);
        int[] order = [0, 1, 2, 3];
        rng.Shuffle(order);
        foreach (var op in order)
            t.Replace(op switch
            {
                0 => Brightness(t.Image, b),
                1 => Contrast(t.Image, c),
                2 => Pixels.IsColour(t.Image) ? Saturation(t.Image, s) : t.Image,
                _ => Pixels.IsColour(t.Image) && h != 0 ? Hue(t.Image, h) : t.Image,
            });
    }

    public static Mat Brightness(Mat img, double factor) => Pixels.Scale(img, factor, 0);

    /// <summary>Blend with the mean of the grayscale image: img·f + mean·(1 − f).</summary>
    public static Mat Contrast(Mat img, double factor)
    {
        double mean;
        if (Pixels.IsColour(img)) { using var g = new Mat(); Cv2.CvtColor(img, g, ColorConversionCodes.RGB2GRAY); mean = Cv2.Mean(g).Val0; }
        else mean = Cv2.Mean(img).Val0;
        return Pixels.Scale(img, factor, mean * (1 - factor));
    }

    /// <summary>Blend with the grayscale image: img·f + gray·(1 − f).</summary>
    public static Mat Saturation(Mat img, double factor)
    {
        using var gray = Pixels.Gray3(img);
        var dst = new Mat();
        Cv2.AddWeighted(img, factor, gray, 1 - factor, 0, dst);
        return dst;
    }

    /// <summary>Hue rotated by <paramref name="fraction"/> of a full turn.</summary>
    public static Mat Hue(Mat img, double fraction) => Pixels.InHsv(img, h => Pixels.WrapHue(h, fraction * 180), s => s, v => v);
}
