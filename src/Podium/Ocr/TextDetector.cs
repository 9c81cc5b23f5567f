using System.Diagnostics;
using OpenCvSharp;
using Podium.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Ocr;

/// <summary>What detecting one image found, and how long the network and the post-processing took.</summary>
public sealed record DetectionResult(List<TextDetection> Regions, int InputHeight, int InputWidth, double NetworkMs, double PostProcessMs);

/// <summary>
/// Runs a DBNet on whole images: resized so the long side is <c>ocr.eval_size</c> (both sides multiples of 32),
/// normalised as in training, probability map only (eval mode), then <see cref="DbPostProcess"/> back in the
/// image's own coordinates.
/// </summary>
public sealed class TextDetector(nn.Module<Tensor, Tensor> model, Augment.Normalize normalize, int channels, OcrConfig options, Device device)
{
    public int Channels => channels;
    public DbPostProcessOptions PostProcess { get; } = new(options.Threshold, options.BoxThreshold, options.UnclipRatio, options.ShrinkRatio, Polygons: options.Polygons);

    /// <summary>The network's input size for an image: the long side scaled to <paramref name="size"/>, each side a multiple of 32.</summary>
    public static (int Height, int Width) InputSize(int height, int width, int size)
    {
        double scale = size / (double)Math.Max(height, width);
        int Round32(double v) => Math.Max(32, (int)Math.Round(v / 32) * 32);
        return (Round32(height * scale), Round32(width * scale));
    }

    public DetectionResult Detect(Mat image)
    {
        var (h, w) = InputSize(image.Rows, image.Cols, options.EvalSize);
        var clock = Stopwatch.StartNew();
        var pixels = new float[channels * h * w];
        var resized = Augment.Resize.ResizeTo(image, w, h); // the image itself when it already has the size
        try { normalize.WriteChw(resized, pixels); }
        finally { if (!ReferenceEquals(resized, image)) resized.Dispose(); }
        float[] probability;
        model.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            var p = model.forward(tensor(pixels, [1, channels, h, w], device: device));
            probability = p[0, 0].cpu().data<float>().ToArray();
        }
        double network = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var regions = DbPostProcess.Detect(probability, h, w, image.Rows, image.Cols, PostProcess);
        return new DetectionResult(regions, h, w, network, clock.Elapsed.TotalMilliseconds);
    }
}
