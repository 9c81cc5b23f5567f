using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>
/// Camera sensor noise, as albumentations' ISONoise: in HLS, hue gets Gaussian noise of σ =
/// color_shift·360·intensity and lightness Poisson noise of mean std(L)·intensity·255, scaled by (1 − L).
/// </summary>
[Transform("iso_noise")]
public sealed class IsoNoise(IsoNoise.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Within(0, 1)] public Interval ColorShift { get; init; } = new(0.01, 0.05);
        [NonNegative] public Interval Intensity { get; init; } = new(0.1, 0.5);
    }

    private readonly double shiftLo = o.ColorShift.Lo, shiftHi = o.ColorShift.Hi;
    private readonly double intensityLo = o.Intensity.Lo, intensityHi = o.Intensity.Hi;

    public IsoNoise() : this(new Options()) { }

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
