using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OpenCvSharp;

namespace Podium.Augment;

/// <summary>
/// Bilinear affine and perspective warps of 8-bit 3- and 4-channel images, eight pixels at a time
/// with AVX2 gathers. The arithmetic is OpenCV's fixed-point remap: source positions rounded to
/// 1/32 pixel (affine: the same integer steps as cv::warpAffine), weights (32−fx)(32−fy)… summing
/// to 1024, so the output is OpenCV's. It exists because OpenCvSharp's OpenCV 4.13 build warps
/// 4–11% slower than OpenCV 4.6 from Python on the same machine; this is faster than both.
/// Other types, borders and machines without AVX2 use OpenCV.
/// </summary>
internal static unsafe class BilinearWarp
{
    public static bool Supports(Mat src, BorderTypes border) =>
        Avx2.IsSupported && src.Depth() == MatType.CV_8U && src.Channels() is 3 or 4 && src.IsContinuous()
        && border is BorderTypes.Constant or BorderTypes.Replicate or BorderTypes.Reflect101 or BorderTypes.Reflect;

    /// <summary>dst(x, y) = src(M⁻¹·(x, y, 1)), <paramref name="inverse"/> in OpenCV's pixel-centre coordinates (row-major 3x3).</summary>
    public static Mat Apply(Mat src, double[] inverse, int width, int height, BorderTypes border, Scalar fill)
    {
        var dst = new Mat(height, width, src.Type());
        var s = new Source((byte*)src.Data, src.Width, src.Height, (int)src.Step(), src.Channels(), border, fill);
        byte* d = (byte*)dst.Data;
        long dstStep = dst.Step();
        bool affine = inverse[6] == 0 && inverse[7] == 0 && inverse[8] == 1;
        if (affine)
        {
            // cv::warpAffine: per-column deltas in 1/1024 pixel, a per-row base, then >> 5 to 1/32.
            var dx = new int[width];
            var dy = new int[width];
            for (int x = 0; x < width; x++) { dx[x] = Round(inverse[0] * x * 1024); dy[x] = Round(inverse[3] * x * 1024); }
            fixed (int* pdx = dx, pdy = dy)
                for (int y = 0; y < height; y++)
                {
                    int x0 = Round((inverse[1] * y + inverse[2]) * 1024) + 16, y0 = Round((inverse[4] * y + inverse[5]) * 1024) + 16;
                    var bx = Vector256.Create(x0);
                    var by = Vector256.Create(y0);
                    byte* row = d + y * dstStep;
                    int x = 0;
                    for (; x + 8 <= width; x += 8)
                        s.Eight(row + x * s.Channels, (Avx2.Add(bx, Avx.LoadVector256(pdx + x)) >> 5),
                            (Avx2.Add(by, Avx.LoadVector256(pdy + x)) >> 5),
                            lastGroup: y == height - 1 && x + 8 == width);
                    for (; x < width; x++) s.One(row + x * s.Channels, (x0 + pdx[x]) >> 5, (y0 + pdy[x]) >> 5);
                }
        }
        else
        {
            // cv::warpPerspective: W = 32 / (m6·x + m7·y + m8), X = round(W·(m0·x + m1·y + m2)); float lanes here.
            var step = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
            for (int y = 0; y < height; y++)
            {
                byte* row = d + y * dstStep;
                float ax = (float)(inverse[1] * y + inverse[2]), ay = (float)(inverse[4] * y + inverse[5]),
                    aw = (float)(inverse[7] * y + inverse[8]);
                int x = 0;
                for (; x + 8 <= width; x += 8)
                {
                    var xs = Vector256.Create((float)x) + step;
                    var w = Vector256.Create(aw) + xs * (float)inverse[6];
                    var scale = Vector256.ConditionalSelect(Vector256.Equals(w, Vector256<float>.Zero), Vector256<float>.Zero,
                        Vector256.Create(32f) / w);
                    var fx = (Vector256.Create(ax) + xs * (float)inverse[0]) * scale;
                    var fy = (Vector256.Create(ay) + xs * (float)inverse[3]) * scale;
                    s.Eight(row + x * s.Channels, Clamp(fx), Clamp(fy), lastGroup: y == height - 1 && x + 8 == width);
                }
                for (; x < width; x++)
                {
                    double w = inverse[6] * x + inverse[7] * y + inverse[8];
                    w = w != 0 ? 32 / w : 0;
                    s.One(row + x * s.Channels,
                        Round(Math.Clamp((inverse[0] * x + inverse[1] * y + inverse[2]) * w, int.MinValue / 2, int.MaxValue / 2)),
                        Round(Math.Clamp((inverse[3] * x + inverse[4] * y + inverse[5]) * w, int.MinValue / 2, int.MaxValue / 2)));
                }
            }
        }
        return dst;
    }

    private static int Round(double v) => (int)Math.Round(v);

    // Far outside positions only need to stay far outside; clamping keeps the int conversion defined.
    private static Vector256<int> Clamp(Vector256<float> v) =>
        Avx.ConvertToVector256Int32(Vector256.Min(Vector256.Max(v, Vector256.Create(-1e9f)), Vector256.Create(1e9f)));

    /// <summary>The source image and how it reads outside itself.</summary>
    private readonly struct Source(byte* data, int width, int height, int step, int channels, BorderTypes border, Scalar fill)
    {
        public int Channels { get; } = channels;

        // The fill colour as one packed pixel (RGBx), what a masked-off gather lane keeps.
        private readonly Vector256<int> _fill = Vector256.Create(
            Byte(fill.Val0) | Byte(fill.Val1) << 8 | Byte(fill.Val2) << 16 | Byte(fill.Val3) << 24);

        private static int Byte(double v) => (int)Math.Clamp(Math.Round(v), 0, 255);

        /// <summary>Eight output pixels at source positions (X, Y) in 1/32 pixel.</summary>
        public void Eight(byte* dst, Vector256<int> X, Vector256<int> Y, bool lastGroup)
        {
            var x0 = X >> 5;
            var y0 = Y >> 5;
            var fully = Vector256.LessThan(x0.AsUInt32(), Vector256.Create((uint)(width - 1)))
                & Vector256.LessThan(y0.AsUInt32(), Vector256.Create((uint)(height - 1)));
            if (fully == Vector256<uint>.AllBitsSet && !lastGroup)
            {
                var top = y0 * step + x0 * Vector256.Create(Channels);
                // Each 8-byte read holds a pixel and its right neighbour; it must end inside the buffer.
                if (Vector256.LessThanOrEqualAll(top + Vector256.Create(step + 8), Vector256.Create(height * step)))
                {
                    Inside(dst, top, X & Vector256.Create(31), Y & Vector256.Create(31));
                    return;
                }
            }
            var one = Vector256.Create(1);
            Vector256<int> x1 = x0 + one, y1 = y0 + one;
            var all = Vector256<int>.AllBitsSet;
            Vector256<int> m00 = all, m01 = all, m10 = all, m11 = all;
            Vector256<int> maxX = Vector256.Create(width - 1), maxY = Vector256.Create(height - 1);
            switch (border)
            {
                case BorderTypes.Constant:
                    // Taps outside are not read: the masked gather leaves the fill pixel in their lanes.
                    var inX0 = Vector256.LessThan(x0.AsUInt32(), Vector256.Create((uint)width)).AsInt32();
                    var inX1 = Vector256.LessThan(x1.AsUInt32(), Vector256.Create((uint)width)).AsInt32();
                    var inY0 = Vector256.LessThan(y0.AsUInt32(), Vector256.Create((uint)height)).AsInt32();
                    var inY1 = Vector256.LessThan(y1.AsUInt32(), Vector256.Create((uint)height)).AsInt32();
                    (m00, m01, m10, m11) = (inX0 & inY0, inX1 & inY0, inX0 & inY1, inX1 & inY1);
                    break;
                case BorderTypes.Replicate:
                    x0 = Vector256.Min(Vector256.Max(x0, Vector256<int>.Zero), maxX);
                    x1 = Vector256.Min(Vector256.Max(x1, Vector256<int>.Zero), maxX);
                    y0 = Vector256.Min(Vector256.Max(y0, Vector256<int>.Zero), maxY);
                    y1 = Vector256.Min(Vector256.Max(y1, Vector256<int>.Zero), maxY);
                    break;
                default:
                    // Reflections: vectorised only when every tap is inside.
                    if (fully != Vector256<uint>.AllBitsSet) { Slow(dst, X, Y); return; }
                    break;
            }
            var channels = Vector256.Create(Channels);
            Vector256<int> row0 = y0 * step, row1 = y1 * step, col0 = x0 * channels, col1 = x1 * channels;
            Vector256<int> o00 = row0 + col0, o01 = row0 + col1, o10 = row1 + col0, o11 = row1 + col1;
            if (Channels == 3)
            {
                // A 3-channel gather reads 4 bytes: one past the pixel, past the buffer for the image's last pixel.
                var last = Vector256.Create((height - 1) * step + (width - 1) * 3);
                var hits = (Vector256.Equals(o00, last) & m00) | (Vector256.Equals(o01, last) & m01) | (Vector256.Equals(o10,
                    last) & m10) | (Vector256.Equals(o11, last) & m11);
                if (lastGroup || hits != Vector256<int>.Zero) { Slow(dst, X, Y); return; }
            }
            var fx = X & Vector256.Create(31);
            var fy = Y & Vector256.Create(31);
            int* b = (int*)data;
            var tl = Avx2.GatherMaskVector256(_fill, b, o00, m00, 1);
            var tr = Avx2.GatherMaskVector256(_fill, b, o01, m01, 1);
            var bl = Avx2.GatherMaskVector256(_fill, b, o10, m10, 1);
            var br = Avx2.GatherMaskVector256(_fill, b, o11, m11, 1);
            var packed = Blend(tl, tr, bl, br, X & Vector256.Create(31), Y & Vector256.Create(31));
            Store(dst, packed);
        }

        /// <summary>
        /// Eight pixels whose four taps are all inside: one 8-byte gather per pixel and row fetches
        /// both horizontal neighbours (half the gathered elements of four 4-byte gathers).
        /// </summary>
        private void Inside(byte* dst, Vector256<int> top, Vector256<int> fx, Vector256<int> fy)
        {
            long* b = (long*)data;
            var bottom = top + Vector256.Create(step);
            // Pixels 0–3 and 4–7, as [p0 p1 | p2 p3] and [p4 p5 | p6 p7].
            var t03 = Avx2.GatherVector256(b, top.GetLower(), 1).AsByte();
            var t47 = Avx2.GatherVector256(b, top.GetUpper(), 1).AsByte();
            var b03 = Avx2.GatherVector256(b, bottom.GetLower(), 1).AsByte();
            var b47 = Avx2.GatherVector256(b, bottom.GetUpper(), 1).AsByte();
            // Left and right neighbour interleaved per channel: [L.R R.R L.G R.G L.B R.B L.x R.x] per pixel.
            var pairs = Channels == 3
                ? Vector256.Create((byte)0, 3, 1, 4, 2, 5, 6, 7, 8, 11, 9, 12, 10, 13, 14, 15, 0, 3, 1, 4, 2, 5, 6, 7, 8, 11, 9, 12, 10, 13,
                    14, 15)
                : Vector256.Create((byte)0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15, 0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14,
                    11, 15);
            var thirtyTwo = Vector256.Create(32);
            var wx = (thirtyTwo - fx) | (fx << 8);
            wx |= wx << 16;
            var wx03 = Avx2.PermuteVar8x32(wx, Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3)).AsSByte();
            var wx47 = Avx2.PermuteVar8x32(wx, Vector256.Create(4, 4, 5, 5, 6, 6, 7, 7)).AsSByte();
            var top03 = Avx2.MultiplyAddAdjacent(Avx2.Shuffle(t03, pairs), wx03);
            var top47 = Avx2.MultiplyAddAdjacent(Avx2.Shuffle(t47, pairs), wx47);
            var bottom03 = Avx2.MultiplyAddAdjacent(Avx2.Shuffle(b03, pairs), wx03);
            var bottom47 = Avx2.MultiplyAddAdjacent(Avx2.Shuffle(b47, pairs), wx47);
            var wy = (thirtyTwo - fy) | (fy << 16);
            var half = Vector256.Create(512);
            // (top, bottom) word pairs × (32−fy, fy), the pixel's weights spread over its four channels.
            Vector256<int> Rows(Vector256<short> pairs, Vector256<int> spread) =>
                (Avx2.MultiplyAddAdjacent(pairs, Avx2.PermuteVar8x32(wy, spread).AsInt16()) + half) >> 10;
            var p02 = Rows(Avx2.UnpackLow(top03, bottom03), Vector256.Create(0, 0, 0, 0, 2, 2, 2, 2));
            var p13 = Rows(Avx2.UnpackHigh(top03, bottom03), Vector256.Create(1, 1, 1, 1, 3, 3, 3, 3));
            var p46 = Rows(Avx2.UnpackLow(top47, bottom47), Vector256.Create(4, 4, 4, 4, 6, 6, 6, 6));
            var p57 = Rows(Avx2.UnpackHigh(top47, bottom47), Vector256.Create(5, 5, 5, 5, 7, 7, 7, 7));
            // Packing gives [p0 p1 p4 p5 | p2 p3 p6 p7]; one permute restores the order.
            var packed = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(p02, p13), Avx2.PackSignedSaturate(p46, p57));
            Store(dst, Avx2.PermuteVar8x32(packed.AsInt32(), Vector256.Create(0, 1, 4, 5, 2, 3, 6, 7)).AsByte());
        }

        /// <summary>Writes eight packed RGBx pixels as 3- or 4-channel pixels.</summary>
        private void Store(byte* dst, Vector256<byte> packed)
        {
            if (Channels == 4) { packed.Store(dst); return; }
            // RGBx RGBx … → RGBRGB…: 12 bytes per 128-bit lane; the 16-byte stores overlap forwards.
            var squeeze = Vector256.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80,
                0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);
            var rgb = Avx2.Shuffle(packed, squeeze);
            rgb.GetLower().Store(dst);
            rgb.GetUpper().Store(dst + 12);
        }

        /// <summary>
        /// (tl·(32−fx)(32−fy) + tr·fx(32−fy) + bl·(32−fx)fy + br·fx·fy + 512) >> 10 per channel, in
        /// two multiply-add passes: bytes × 5-bit x weights into 16 bits (pmaddubsw), then 16-bit
        /// rows × y weights into 32 bits (pmaddwd). Lanes are packed RGBx pixels; so is the result.
        /// </summary>
        private static Vector256<byte> Blend(Vector256<int> tl, Vector256<int> tr, Vector256<int> bl, Vector256<int> br, Vector256<int> fx,
            Vector256<int> fy)
        {
            var thirtyTwo = Vector256.Create(32);
            // Per pixel: the byte pair (32−fx, fx) and the word pair (32−fy, fy), each repeated for its 4 channels.
            var wx = (thirtyTwo - fx) | (fx << 8);
            wx |= wx << 16;
            var wy = (thirtyTwo - fy) | (fy << 16);
            // Byte unpacking splits pixels {0,1,4,5} (low) from {2,3,6,7} (high); weights follow the same split.
            var wxLow = Avx2.UnpackLow(wx, wx).AsSByte();
            var wxHigh = Avx2.UnpackHigh(wx, wx).AsSByte();
            var topLow = Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(tl.AsByte(), tr.AsByte()), wxLow);
            var topHigh = Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(tl.AsByte(), tr.AsByte()), wxHigh);
            var bottomLow = Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(bl.AsByte(), br.AsByte()), wxLow);
            var bottomHigh = Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(bl.AsByte(), br.AsByte()), wxHigh);
            var a = Avx2.UnpackLow(wy, wy).AsInt64();
            var b = Avx2.UnpackHigh(wy, wy).AsInt64();
            var half = Vector256.Create(512);
            // Pixels {0,4}, {1,5}, {2,6}, {3,7}: four channels of one pixel per 128-bit lane.
            var p04 = (Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(topLow, bottomLow), Avx2.UnpackLow(a, a).AsInt16()) + half) >> 10;
            var p15 = (Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(topLow, bottomLow), Avx2.UnpackHigh(a, a).AsInt16()) + half) >> 10;
            var p26 = (Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(topHigh, bottomHigh), Avx2.UnpackLow(b, b).AsInt16()) + half) >> 10;
            var p37 = (Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(topHigh, bottomHigh), Avx2.UnpackHigh(b, b).AsInt16()) + half) >> 10;
            // Packing keeps lanes apart: [p0 p1 p2 p3 | p4 p5 p6 p7], pixel order restored.
            return Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(p04, p15), Avx2.PackSignedSaturate(p26, p37));
        }

        private void Slow(byte* dst, Vector256<int> X, Vector256<int> Y)
        {
            for (int k = 0; k < 8; k++) One(dst + k * Channels, X.GetElement(k), Y.GetElement(k));
        }

        /// <summary>One output pixel at source position (X, Y) in 1/32 pixel, with the border rule.</summary>
        public void One(byte* dst, int X, int Y)
        {
            int ix = X >> 5, iy = Y >> 5, fx = X & 31, fy = Y & 31;
            int w00 = (32 - fx) * (32 - fy), w01 = fx * (32 - fy), w10 = (32 - fx) * fy, w11 = fx * fy;
            int x0 = Index(ix, width), x1 = Index(ix + 1, width), y0 = Index(iy, height), y1 = Index(iy + 1, height);
            for (int c = 0; c < Channels; c++)
            {
                int v = Tap(x0, y0, c) * w00 + Tap(x1, y0, c) * w01 + Tap(x0, y1, c) * w10 + Tap(x1, y1, c) * w11;
                dst[c] = (byte)((v + 512) >> 10);
            }
        }

        private int Tap(int x, int y, int c) =>
            x < 0 || y < 0 ? Byte(fill[Math.Min(c, 3)]) : data[y * step + x * Channels + c];

        private int Index(int i, int n) => Resample.Border(i, n, border);
    }
}
