using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

// Document degradations in the spirit of augraphy's ink / paper / post phases. They change pixels
// only, so OCR polygons stay exactly where the text is. All randomness comes from the sample's rng.

internal static class Doc
{
    /// <summary>Low-frequency noise in [0, 1]: uniform noise blurred at <paramref name="scale"/> pixels, then stretched.</summary>
    public static Mat SmoothNoise(Size size, double scale, Random rng)
    {
        var small = new Mat(Math.Max(2, (int)(size.Height / scale)), Math.Max(2, (int)(size.Width / scale)), MatType.CV_32FC1);
        new RNG((ulong)rng.NextInt64()).Fill(small, DistributionType.Uniform, Scalar.All(0), Scalar.All(1));
        var big = new Mat();
        Cv2.Resize(small, big, size, 0, 0, InterpolationFlags.Cubic);
        small.Dispose();
        Cv2.Normalize(big, big, 0, 1, NormTypes.MinMax);
        return big;
    }

    /// <summary>img · factor per pixel (factor CV_32FC1), for any channel count.</summary>
    public static Mat Multiply(Mat img, Mat factor)
    {
        using var f = new Mat();
        img.ConvertTo(f, MatType.CV_32FC(img.Channels()));
        using var k = img.Channels() == 1 ? factor.Clone() : new Mat();
        if (img.Channels() > 1) Cv2.Merge(Enumerable.Repeat(factor, img.Channels()).ToArray(), k);
        Cv2.Multiply(f, k, f);
        var dst = new Mat();
        f.ConvertTo(dst, img.Type());
        return dst;
    }

    /// <summary>Where the ink is: pixels darker than the page (Otsu on gray), as a 0/255 mask.</summary>
    public static Mat InkMask(Mat img)
    {
        using var gray = img.Channels() == 1 ? img.Clone() : img.CvtColor(ColorConversionCodes.RGB2GRAY);
        var ink = new Mat();
        Cv2.Threshold(gray, ink, 0, 255, ThresholdTypes.BinaryInv | ThresholdTypes.Otsu);
        return ink;
    }
}

/// <summary>Ink bleeding into the paper: strokes thicken and soften.</summary>
[Transform("ink_bleed")]
public sealed class InkBleed(InkBleed.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Positive] public Interval KernelSize { get; init; } = new(2, 3);
        [Within(0, 1)] public Interval Intensity { get; init; } = new(0.4, 0.7);
    }

    private readonly int kernelLo = (int)o.KernelSize.Lo, kernelHi = (int)o.KernelSize.Hi;
    private readonly double intensityLo = o.Intensity.Lo, intensityHi = o.Intensity.Hi;

    public InkBleed() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        int k = rng.Next(kernelLo, kernelHi + 1);
        using var element = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(k, k));
        using var bled = new Mat();
        Cv2.Erode(t.Image, bled, element); // on dark-on-light pages, erosion spreads the dark ink
        Cv2.GaussianBlur(bled, bled, new Size(3, 3), 0);
        var dst = new Mat();
        double a = Sampling.Uniform(rng, intensityLo, intensityHi);
        Cv2.AddWeighted(bled, a, t.Image, 1 - a, 0, dst);
        t.Replace(dst);
    }
}
