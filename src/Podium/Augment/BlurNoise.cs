using OpenCvSharp;

namespace Podium.Augment;

/// <summary>An odd kernel size uniform in [lo, hi] (sizes are made odd, as blur kernels must be).</summary>
internal static class Kernel
{
    public static int OddSize(Random rng, int lo, int hi)
    {
        var sizes = Enumerable.Range(lo, hi - lo + 1).Where(k => k % 2 == 1).ToArray();
        if (sizes.Length == 0) throw new ConfigException($"blur_limit [{lo}, {hi}] holds no odd kernel size");
        return sizes[rng.Next(sizes.Length)];
    }
}

/// <summary>Gaussian blur with an odd kernel from blur_limit and σ uniform in sigma_limit (0: from the kernel size).</summary>
public sealed class GaussianBlur(int lo = 3, int hi = 7, double sigmaLo = 0, double sigmaHi = 0, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) => t.Replace(Apply(t.Image, Kernel.OddSize(rng, lo, hi), Sampling.Uniform(rng, sigmaLo, sigmaHi)));

    public static Mat Apply(Mat img, int ksize, double sigma)
    {
        var dst = new Mat();
        if (ksize < 7) Cv2.GaussianBlur(img, dst, new Size(ksize, ksize), sigma);
        else
        {
            // From 7 taps, OpenCvSharp's build runs cv::GaussianBlur's 8-bit fixed-point path 1.3-1.6x
            // slower than a float separable filter with the same kernel and border (reflect 101);
            // the two differ by at most one grey level.
            using var kernel = Cv2.GetGaussianKernel(ksize, sigma, MatType.CV_32F)!;
            Cv2.SepFilter2D(img, dst, -1, kernel, kernel);
        }
        return dst;
    }
}

/// <summary>Median blur with an odd kernel from blur_limit.</summary>
public sealed class MedianBlur(int lo = 3, int hi = 7, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) => t.Replace(Apply(t.Image, Kernel.OddSize(rng, lo, hi)));

    public static Mat Apply(Mat img, int ksize)
    {
        var dst = new Mat();
        Cv2.MedianBlur(img, dst, ksize);
        return dst;
    }
}

/// <summary>Blur along a random line through the kernel: camera shake.</summary>
public sealed class MotionBlur(int lo = 3, int hi = 7, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        int k = Kernel.OddSize(rng, lo, hi);
        using var kernel = new Mat(k, k, MatType.CV_32FC1, Scalar.All(0));
        Point a, b;
        do { a = new Point(rng.Next(k), rng.Next(k)); b = new Point(rng.Next(k), rng.Next(k)); } while (a == b);
        Cv2.Line(kernel, a, b, Scalar.All(1), 1);
        var dst = new Mat();
        using var normalised = kernel / Cv2.Sum(kernel).Val0;
        Cv2.Filter2D(t.Image, dst, -1, normalised);
        t.Replace(dst);
    }
}

/// <summary>albumentations' Sharpen: the identity kernel blended (alpha) with a Laplacian-style kernel of centre 8 + lightness.</summary>
public sealed class Sharpen(double alphaLo = 0.2, double alphaHi = 0.5, double lightLo = 0.5, double lightHi = 1.0, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) => t.Replace(Apply(t.Image, Sampling.Uniform(rng, alphaLo, alphaHi), Sampling.Uniform(rng, lightLo, lightHi)));

    public static Mat Apply(Mat img, double alpha, double lightness)
    {
        var k = new float[9];
        for (int i = 0; i < 9; i++) k[i] = (float)(alpha * -1);
        k[4] = (float)((1 - alpha) + alpha * (8 + lightness));
        using var kernel = Mat.FromPixelData(3, 3, MatType.CV_32FC1, k);
        var dst = new Mat();
        Cv2.Filter2D(img, dst, -1, kernel);
        return dst;
    }
}

/// <summary>Additive Gaussian noise, variance uniform in var_limit, per pixel and channel.</summary>
public sealed class GaussNoise(double varLo = 10, double varHi = 50, double mean = 0, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        double sigma = Math.Sqrt(Sampling.Uniform(rng, varLo, varHi));
        using var noise = new Mat(t.Image.Size(), MatType.CV_32FC(t.Image.Channels()));
        // OpenCV's RNG seeded from ours: reproducible per sample whatever the thread.
        new RNG((ulong)rng.NextInt64()).Fill(noise, DistributionType.Normal, Scalar.All(mean), Scalar.All(sigma));
        t.Replace(AddFloat(t.Image, noise));
    }

    internal static Mat AddFloat(Mat img, Mat noise)
    {
        using var f = new Mat();
        img.ConvertTo(f, noise.Type());
        Cv2.Add(f, noise, f);
        var dst = new Mat();
        f.ConvertTo(dst, img.Type());
        return dst;
    }
}

/// <summary>Multiplies by factors uniform in [lo, hi]: one per image, per channel, or per element.</summary>
public sealed class MultiplicativeNoise(double lo = 0.9, double hi = 1.1, bool perChannel = false, bool elementwise = false, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        int c = t.Image.Channels();
        using var f = new Mat();
        t.Image.ConvertTo(f, MatType.CV_32FC(c));
        if (elementwise)
        {
            using var m = new Mat(t.Image.Size(), MatType.CV_32FC(perChannel ? c : 1));
            new RNG((ulong)rng.NextInt64()).Fill(m, DistributionType.Uniform, Scalar.All(lo), Scalar.All(hi));
            using var full = perChannel || c == 1 ? m.Clone() : new Mat();
            if (!perChannel && c > 1) Cv2.Merge(Enumerable.Repeat(m, c).ToArray(), full);
            Cv2.Multiply(f, full, f);
        }
        else
        {
            var s = perChannel ? new Scalar(Sampling.Uniform(rng, lo, hi), Sampling.Uniform(rng, lo, hi), Sampling.Uniform(rng, lo, hi)) : Scalar.All(Sampling.Uniform(rng, lo, hi));
            Cv2.Multiply(f, s, f);
        }
        var dst = new Mat();
        f.ConvertTo(dst, t.Image.Type());
        t.Replace(dst);
    }
}

/// <summary>Real JPEG re-encoding at a quality uniform in the range (the artefacts of a compressed upload).</summary>
public sealed class ImageCompression(int qualityLo = 80, int qualityHi = 100, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) => t.Replace(Apply(t.Image, rng.Next(qualityLo, qualityHi + 1)));

    public static Mat Apply(Mat img, int quality)
    {
        // libjpeg expects BGR: encode in that order so chroma subsampling treats colours as a camera would.
        using var bgr = new Mat();
        if (Pixels.IsColour(img)) Cv2.CvtColor(img, bgr, ColorConversionCodes.RGB2BGR); else img.CopyTo(bgr);
        Cv2.ImEncode(".jpg", bgr, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        var decoded = Cv2.ImDecode(bytes, Pixels.IsColour(img) ? ImreadModes.Color : ImreadModes.Grayscale);
        if (Pixels.IsColour(img)) Cv2.CvtColor(decoded, decoded, ColorConversionCodes.BGR2RGB);
        return decoded;
    }
}

/// <summary>Down-scales by a factor uniform in the range and back up (nearest both ways, as albumentations): lost detail.</summary>
public sealed class Downscale(double scaleLo = 0.25, double scaleHi = 0.25, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) => Apply(t.Image, Sampling.Uniform(rng, scaleLo, scaleHi), t.Image); // back into the owned image

    public static Mat Apply(Mat img, double scale)
    {
        var dst = new Mat();
        Apply(img, scale, dst);
        return dst;
    }

    private static void Apply(Mat img, double scale, Mat dst)
    {
        var size = img.Size();
        using var small = new Mat();
        Cv2.Resize(img, small, new Size(Math.Max(1, (int)(size.Width * scale)), Math.Max(1, (int)(size.Height * scale))), 0, 0, InterpolationFlags.Nearest);
        Cv2.Resize(small, dst, size, 0, 0, InterpolationFlags.Nearest);
    }
}

/// <summary>
/// Camera sensor noise, as albumentations' ISONoise: in HLS, hue gets Gaussian noise of σ =
/// color_shift·360·intensity and lightness Poisson noise of mean std(L)·intensity·255, scaled by (1 − L).
/// </summary>
public sealed class IsoNoise(double shiftLo = 0.01, double shiftHi = 0.05, double intensityLo = 0.1, double intensityHi = 0.5, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        if (!Pixels.IsColour(t.Image)) return;
        t.Replace(Apply(t.Image, Sampling.Uniform(rng, shiftLo, shiftHi), Sampling.Uniform(rng, intensityLo, intensityHi), rng));
    }

    public static unsafe Mat Apply(Mat rgb, double colorShift, double intensity, Random rng)
    {
        using var f = new Mat();
        rgb.ConvertTo(f, MatType.CV_32FC3, 1.0 / 255);
        using var hls = new Mat();
        Cv2.CvtColor(f, hls, ColorConversionCodes.RGB2HLS); // float: H in [0, 360], L and S in [0, 1]
        Cv2.MeanStdDev(hls, out _, out var std);
        double lambda = std.Val1 * intensity * 255, hueSigma = colorShift * 360 * intensity;
        // The noise comes from OpenCV's vectorised RNG (seeded from ours); Poisson counts by
        // inverting the CDF with one uniform each.
        using var hueNoise = new Mat(hls.Rows, hls.Cols, MatType.CV_32FC1);
        using var uniform = new Mat(hls.Rows, hls.Cols, MatType.CV_32FC1);
        var cv = new RNG((ulong)rng.NextInt64());
        cv.Fill(hueNoise, DistributionType.Normal, Scalar.All(0), Scalar.All(hueSigma));
        cv.Fill(uniform, DistributionType.Uniform, Scalar.All(0), Scalar.All(1));
        var cdf = PoissonCdf(lambda);
        int n = hls.Rows * hls.Cols;
        float* px = (float*)hls.Data, hn = (float*)hueNoise.Data, u = (float*)uniform.Data;
        for (int i = 0; i < n; i++)
        {
            float hue = px[3 * i] + hn[i];
            if (hue < 0) hue += 360;
            if (hue > 360) hue -= 360;
            px[3 * i] = hue;
            int k = Array.BinarySearch(cdf, u[i]);
            float l = px[3 * i + 1];
            px[3 * i + 1] = l + (k < 0 ? ~k : k) / 255f * (1 - l);
        }
        using var back = new Mat();
        Cv2.CvtColor(hls, back, ColorConversionCodes.HLS2RGB);
        var dst = new Mat();
        back.ConvertTo(dst, MatType.CV_8UC3, 255);
        return dst;
    }

    /// <summary>P(X ≤ k) for k = 0, 1, … until the tail is below float resolution (the last entry is 1).</summary>
    internal static float[] PoissonCdf(double lambda)
    {
        if (lambda <= 0) return [1f];
        var cdf = new List<float>();
        // Terms in log space: e^-λ underflows for large λ.
        double logTerm = -lambda, sum = 0;
        for (int k = 0; ; k++)
        {
            if (k > 0) logTerm += Math.Log(lambda / k);
            sum += Math.Exp(logTerm);
            if (k > lambda && (sum >= 1 - 1e-7 || Math.Exp(logTerm) < 1e-12)) { cdf.Add(1f); return [.. cdf]; }
            cdf.Add((float)sum);
        }
    }
}
