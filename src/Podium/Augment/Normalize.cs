using OpenCvSharp;

namespace Podium.Augment;

/// <summary>
/// The last step of every pipeline: 8-bit HWC pixels to float CHW, (x/255 - mean) / std per
/// channel, written straight into the batch buffer (one vectorised OpenCV pass per channel).
/// </summary>
public sealed class Normalize(double[] mean, double[] std)
{
    public IReadOnlyList<double> Mean { get; } = mean;
    public IReadOnlyList<double> Std { get; } = std;

    public unsafe void WriteChw(Mat image, Span<float> destination)
    {
        int h = image.Height, w = image.Width, c = image.Channels();
        if (destination.Length != c * h * w) throw new ArgumentException($"destination holds {destination.Length} floats, image needs {c * h * w}");
        var planes = c == 1 ? [image] : Cv2.Split(image);
        try
        {
            fixed (float* dst = destination)
            {
                for (int k = 0; k < c; k++)
                {
                    double m = Mean[Math.Min(k, Mean.Count - 1)], s = Std[Math.Min(k, Std.Count - 1)];
                    using var plane = Mat.FromPixelData(h, w, MatType.CV_32FC1, (IntPtr)(dst + k * h * w));
                    planes[k].ConvertTo(plane, MatType.CV_32FC1, 1.0 / (255.0 * s), -m / s);
                }
            }
        }
        finally
        {
            if (c != 1) foreach (var p in planes) p.Dispose();
        }
    }
}

/// <summary>A full preprocessing pipeline: transforms, then a resize to the model's input size
/// if the transforms did not end there, then normalisation into a float CHW buffer.</summary>
public sealed class Pipeline(ITransform transforms, Normalize normalize, int height, int width)
{
    public ITransform Transforms { get; } = transforms;
    public Normalize Normalize { get; } = normalize;
    public int Height { get; } = height;
    public int Width { get; } = width;

    public void Run(Mat image, Random rng, Span<float> destination)
    {
        using var target = new AugmentTarget(image);
        Transforms.Apply(target, rng);
        Warp.Resize(target, Width, Height);
        Normalize.WriteChw(target.Image, destination);
    }

    /// <summary>Runs the pipeline on an image and its text polygons, which come back as transformed (in output pixels).</summary>
    public List<Polygon> Run(Mat image, IReadOnlyList<Polygon> polygons, Random rng, Span<float> destination)
    {
        using var target = new AugmentTarget(image).WithPolygons(polygons);
        Transforms.Apply(target, rng);
        Warp.Resize(target, Width, Height);
        Normalize.WriteChw(target.Image, destination);
        return target.Polygons;
    }
}
