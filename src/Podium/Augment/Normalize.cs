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
        if (destination.Length != c * h * w)
            throw new ArgumentException($"destination holds {destination.Length} floats, image needs {c * h * w}");
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
