using System.Diagnostics;
using OpenCvSharp;
using Podium.Config;
using static TorchSharp.torch;

namespace Podium.Ocr;

/// <summary>
/// Runs a DBNet on whole images: resized so the long side is <c>ocr.eval_size</c> (both sides multiples of 32),
/// normalised as in training, probability map only (eval mode), then <see cref="DbPostProcess"/> back in the
/// image's own coordinates.
/// </summary>
public sealed class DbTextDetector(nn.Module<Tensor, Tensor> model, Augment.Normalize normalize, int channels, OcrConfig options,
    Device device)
{
    public int Channels => channels;
    public DbPostProcessOptions PostProcess { get; } = new(options.Threshold, options.BoxThreshold, options.UnclipRatio,
        options.ShrinkRatio, Polygons: options.Polygons);

    /// <summary>The network's input size for an image: the long side scaled to <paramref name="size"/>, each side a multiple of
    /// 32.</summary>
    public static (int Height, int Width) InputSize(int height, int width, int size)
    {
        double scale = size / (double)Math.Max(height, width);
        int Round32(double v) => Math.Max(32, (int)Math.Round(v / 32) * 32);
        return (Round32(height * scale), Round32(width * scale));
    }

    /// <summary>
    /// Test-time augmentation of the probability map: "hflip" adds the mirrored image (its map mirrored back),
    /// "scales=0.75:1.25" adds the image at those multiples of the size (maps resized back); all maps are averaged
    /// before post-processing.
    /// </summary>
    public IReadOnlyList<string> Tta { get; init; } = [];

    /// <summary>Parses a --tta spec (comma-separated hflip, scales=A:B...) into views, refusing unknown ones.</summary>
    public static List<string> ParseTta(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return [];
        var views = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var v in views)
            if (v != "hflip" && !(v.StartsWith("scales=", StringComparison.Ordinal) && v[7..].Split(':').All(x =>
                double.TryParse(x, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture,
                    out var f) && f is > 0.1 and < 4)))
                throw new PodiumException($"--tta {spec}: '{v}' is not a detection view (hflip, scales=0.75:1.25)");
        return views;
    }

    public DetectionResult Detect(Mat image)
    {
        var (h, w) = InputSize(image.Rows, image.Cols, options.EvalSize);
        var clock = Stopwatch.StartNew();
        var probability = Probability(image, h, w, flip: false);
        int views = 1;
        foreach (var view in Tta)
        {
            if (view == "hflip") { Accumulate(probability, Probability(image, h, w, flip: true)); views++; continue; }
            foreach (var f in view[7..].Split(':').Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture)))
            {
                var (sh, sw) = InputSize(image.Rows, image.Cols, (int)Math.Round(options.EvalSize * f));
                using var small = FloatMap.ToMat(Probability(image, sh, sw, flip: false), sh, sw);
                using var back = new Mat();
                Cv2.Resize(small, back, new OpenCvSharp.Size(w, h), 0, 0, InterpolationFlags.Linear);
                Accumulate(probability, FloatMap.ToArray(back));
                views++;
            }
        }
        if (views > 1) for (int i = 0; i < probability.Length; i++) probability[i] /= views;
        double network = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var regions = DbPostProcess.Detect(probability, h, w, image.Rows, image.Cols, PostProcess);
        return new DetectionResult(regions, h, w, network, clock.Elapsed.TotalMilliseconds);
    }

    private static void Accumulate(float[] sum, float[] add)
    {
        for (int i = 0; i < sum.Length; i++) sum[i] += add[i];
    }

    /// <summary>The probability map of the image at h × w (mirrored in and back out with <paramref name="flip"/>).</summary>
    private float[] Probability(Mat image, int h, int w, bool flip)
    {
        var pixels = new float[channels * h * w];
        var resized = Augment.Resize.ResizeTo(image, w, h); // the image itself when it already has the size
        try
        {
            if (!flip) normalize.WriteChw(resized, pixels);
            else
            {
                using var mirrored = new Mat();
                Cv2.Flip(resized, mirrored, FlipMode.Y);
                normalize.WriteChw(mirrored, pixels);
            }
        }
        finally { if (!ReferenceEquals(resized, image)) resized.Dispose(); }
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var p = model.forward(tensor(pixels, [1, channels, h, w], device: device))[0, 0];
        if (flip) p = p.flip(1);
        return p.cpu().data<float>().ToArray();
    }
}
