using OpenCvSharp;
using Podium.Augment;
using Podium.Data;
using Podium.Platform;

namespace Podium.Tests;

/// <summary>Podium's own in-place pixel kernels give exactly what the OpenCV call they replace gives.</summary>
public class PixelKernelTests
{
    private static Mat Noise(int rows, int cols, MatType type, int seed)
    {
        var m = new Mat(rows, cols, type);
        new RNG((ulong)seed).Fill(m, DistributionType.Uniform, Scalar.All(0), Scalar.All(256));
        return m;
    }

    private static void AssertSame(Mat expected, Mat actual, string what) =>
        Assert.True(Compare(expected, actual).Differing == 0, $"{what}: differs from OpenCV");

    /// <summary>The largest and mean absolute difference, and how many values differ.</summary>
    private static (double Worst, double Mean, int Differing) Compare(Mat expected, Mat actual)
    {
        Assert.Equal((expected.Size(), expected.Type()), (actual.Size(), actual.Type()));
        using var diff = new Mat();
        Cv2.Absdiff(expected, actual, diff);
        using var flat = diff.Reshape(1);
        Cv2.MinMaxLoc(flat, out _, out double worst);
        return (worst, Cv2.Mean(flat).Val0, Cv2.CountNonZero(flat));
    }

    // Odd widths exercise the scalar tails; a sub-matrix (ROI) has a row step longer than its row.
    public static TheoryData<int, int, int, bool> Shapes => new()
    {
        { 37, 101, 3, false }, { 64, 64, 3, false }, { 15, 7, 1, false }, { 33, 45, 4, false }, { 40, 90, 3, true }, { 1, 200, 3, false },
    };

    private static Mat Image(int rows, int cols, int channels, bool roi, int seed)
    {
        if (!roi) return Noise(rows, cols, MatType.CV_8UC(channels), seed);
        using var big = Noise(rows + 10, cols + 20, MatType.CV_8UC(channels), seed);
        return new Mat(big, new Rect(7, 3, cols, rows)); // shares big's buffer (kept alive by the header)
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AddPerChannelSaturatesLikeCvAdd(int rows, int cols, int channels, bool roi)
    {
        int[] offsets = new[] { -300, 17, 255, -1 }[..channels];
        using var img = Image(rows, cols, channels, roi, 1);
        using var expected = new Mat();
        // cv::add saturates per channel; a negative offset is a saturating subtraction.
        using var plus = new Mat();
        Scalar Part(Func<int, int> f)
        {
            var v = offsets.Select(o => (double)f(o)).Concat([0.0, 0, 0]).ToArray(); return new Scalar(v[0],
            v[1], v[2], v[3]);
        }
        Cv2.Add(img, Part(o => Math.Max(o, 0)), plus);
        Cv2.Subtract(plus, Part(o => Math.Max(-o, 0)), expected);
        Pixels.AddPerChannelInPlace(img, offsets);
        AssertSame(expected, img, $"add {string.Join(",", offsets)} on {cols}x{rows}x{channels}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FlipRowsInPlaceIsCvFlipX(int rows, int cols, int channels, bool roi)
    {
        using var img = Image(rows, cols, channels, roi, 2);
        using var expected = new Mat();
        Cv2.Flip(img, expected, FlipMode.X);
        Pixels.FlipRowsInPlace(img);
        AssertSame(expected, img, "flip");
    }

    [Fact]
    public void FlipRowsInPlaceHandlesWideMaskDepths()
    {
        using var mask = Noise(9, 13, MatType.CV_32SC1, 3);
        using var expected = new Mat();
        Cv2.Flip(mask, expected, FlipMode.X);
        Pixels.FlipRowsInPlace(mask);
        AssertSame(expected, mask, "flip int32 mask");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AndInPlaceIsCvBitwiseAnd(int rows, int cols, int channels, bool roi)
    {
        using var img = Image(rows, cols, channels, roi, 4);
        using var expected = new Mat();
        Cv2.BitwiseAnd(img, Scalar.All(0xE0), expected);
        Pixels.AndInPlace(img, 0xE0);
        AssertSame(expected, img, "and");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void FillRectIsCvRectangle(int channels)
    {
        foreach (var type in new[] { MatType.CV_8UC(channels), MatType.CV_32SC1 })
        {
            using var img = Noise(50, 70, type, 5);
            using var expected = img.Clone();
            var r = new Rect(3, 44, 61, 6);
            Cv2.Rectangle(expected, r, Scalar.All(200), -1);
            Holes.FillRect(img, r, 200);
            AssertSame(expected, img, $"fill {type}");
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(7.3)]
    [InlineData(180)]
    public void PoissonCdfMatchesTheFormula(double lambda)
    {
        var cdf = IsoNoise.PoissonCdf(lambda);
        double sum = 0, term = 0;
        for (int k = 0; k < cdf.Length - 1; k++)
        {
            // P(X = k) = e^-λ λ^k / k!, summed in log space.
            term = -lambda + k * Math.Log(lambda) - Enumerable.Range(1, k).Sum(i => Math.Log(i));
            sum += Math.Exp(term);
            Assert.True(Math.Abs(cdf[k] - sum) < 1e-5, $"λ={lambda}: P(X≤{k}) is {cdf[k]}, expected {sum}");
        }
        Assert.Equal(1f, cdf[^1]);
        Assert.True(cdf.Length > lambda, $"λ={lambda}: table stops at {cdf.Length - 1}");
    }

    [Fact]
    public void IppIsOffExactlyWhereItCostsAReinitialisationPerCall()
    {
        OpenCvRuntime.Configure();
        var vendor = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("vendor_id")).Split(':')[1].Trim();
        bool expected = vendor != "GenuineIntel" && Environment.GetEnvironmentVariable("OPENCV_IPP") is null;
        Assert.Equal(expected, OpenCvRuntime.IppDisabled);
        using var a = Noise(8, 8, MatType.CV_8UC3, 6);
        using var b = a.Clone(); // OpenCV still works after the switch
        AssertSame(a, b, "clone");
    }

    [Theory]
    [InlineData(3, BorderTypes.Constant, false)]
    [InlineData(3, BorderTypes.Replicate, false)]
    [InlineData(3, BorderTypes.Reflect101, false)]
    [InlineData(4, BorderTypes.Reflect, false)]
    [InlineData(3, BorderTypes.Constant, true)]
    [InlineData(3, BorderTypes.Replicate, true)]
    [InlineData(4, BorderTypes.Reflect101, true)]
    public void BilinearWarpIsOpenCvsWarp(int channels, BorderTypes border, bool perspective)
    {
        var photo = Directory.GetFiles(Path.Combine(TestEnv.Datasets, "hymenoptera", "train", "bees"),
            "*.jpg").Order(StringComparer.Ordinal).First();
        using var rgb = ImageDecoder.Read(photo, 3);
        using var src = channels == 4 ? rgb.CvtColor(ColorConversionCodes.RGB2RGBA) : rgb.Clone();
        var fill = new Scalar(10, 200, 30, 255);
        foreach (var (angle, scale) in new[] { (17.0, 1.0), (-133.0, 0.6), (0.0, 1.7), (90.0, 1.0) })
        {
            var m = Warp.Affine(src.Width / 2.0, src.Height / 2.0, angle, scale, 7, -3, 11.3, -5.7);
            if (perspective) { m[6] = 0.0007; m[7] = -0.0004; }
            int w = src.Width - 13, h = src.Height + 9; // output size differs from the input's
            using var expected = new Mat();
            using var cvm = Mat.FromPixelData(3, 3, MatType.CV_64FC1, m);
            if (perspective) Cv2.WarpPerspective(src, expected, cvm, new Size(w, h), InterpolationFlags.Linear, border, fill);
            else
            {
                using var a = Mat.FromPixelData(2, 3, MatType.CV_64FC1, m[..6]);
                Cv2.WarpAffine(src, expected, a, new Size(w, h), InterpolationFlags.Linear, border, fill);
            }
            Assert.True(BilinearWarp.Supports(src, border));
            using var actual = BilinearWarp.Apply(src, Warp.Invert(m), w, h, border, fill);
            var (worst, _, off) = Compare(expected, actual);
            // Affine: bit-exact (OpenCV's integer arithmetic). Perspective: float vs double positions may
            // round to the neighbouring 1/32 pixel on a few pixels (at most 255/32 on a full-range edge).
            Assert.True(perspective ? worst <= 8 && off < expected.Total() * channels / 200 : worst == 0,
                $"{angle}° x{scale} {border}: max difference {worst}, {off} values differ");
        }
    }

    [Theory]
    [InlineData(3, 128, 128)]
    [InlineData(3, 58, 128)]
    [InlineData(3, 100, 333)]
    [InlineData(1, 77, 91)]
    [InlineData(3, 7, 5)]
    [InlineData(3, 400, 900)]
    [InlineData(1, 460, 1010)]
    public void AreaResizeMatchesCvResizeWithinOneGreyLevel(int channels, int width, int height)
    {
        var receipt = Directory.GetFiles(Path.Combine(TestEnv.Datasets, "sroie", "img"), "*.jpg").Order(StringComparer.Ordinal).First();
        using var src = ImageDecoder.Read(receipt, channels);
        Assert.True(AreaResize.Supports(src, width, height));
        Assert.False(AreaResize.Supports(src, src.Width, height)); // not a shrink on both axes: bilinear, OpenCV
        using var expected = new Mat();
        Cv2.Resize(src, expected, new Size(width, height), 0, 0, InterpolationFlags.Area);
        using var actual = AreaResize.Apply(src, width, height);
        var (worst, _, _) = Compare(expected, actual);
        Assert.True(worst <= 1, $"{src.Width}x{src.Height} -> {width}x{height}: max difference {worst}");
    }

    [Theory]
    [InlineData(BorderTypes.Reflect101)]
    [InlineData(BorderTypes.Replicate)]
    [InlineData(BorderTypes.Reflect)]
    public void SeparableLinearResamplingIsCvRemapWithASeparableMap(BorderTypes border)
    {
        var photo = Directory.GetFiles(Path.Combine(TestEnv.Datasets, "hymenoptera", "train", "ants"),
            "*.jpg").Order(StringComparer.Ordinal).First();
        using var src = ImageDecoder.Read(photo, 3);
        var rng = new Random(4);
        // Source positions per output column and row: a smooth wobble that runs past both edges.
        var xs = Enumerable.Range(0,
            src.Width + 9).Select(x => (float)(x * 0.97 - 4 + 3 * Math.Sin(x / 17.0) + rng.NextDouble() * 0.2)).ToArray();
        var ys = Enumerable.Range(0, src.Height - 5).Select(y => (float)(y * 1.02 - 3 + 2 * Math.Cos(y / 11.0))).ToArray();
        using var mapX = new Mat(ys.Length, xs.Length, MatType.CV_32FC1);
        using var mapY = new Mat(ys.Length, xs.Length, MatType.CV_32FC1);
        for (int y = 0; y < ys.Length; y++)
            for (int x = 0; x < xs.Length; x++) { mapX.Set(y, x, xs[x]); mapY.Set(y, x, ys[y]); }
        using var expected = new Mat();
        Cv2.Remap(src, expected, mapX, mapY, InterpolationFlags.Linear, border);
        using var actual = Resample.Separable(src, Resample.Linear(xs, src.Width, border), Resample.Linear(ys, src.Height, border));
        var (worst, mean, _) = Compare(expected, actual);
        // cv::remap rounds positions to 1/32 pixel; exact weights differ by at most 1/64 of an edge's step.
        Assert.True(worst <= 4 && mean < 0.1, $"{border}: max difference {worst}, mean {mean:F3}");
    }
}
