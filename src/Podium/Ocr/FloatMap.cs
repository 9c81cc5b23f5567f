using OpenCvSharp;

namespace Podium.Ocr;

/// <summary>
/// Single-channel float maps (probabilities, targets) between managed arrays, which tensors and the loader use, and
/// OpenCV Mats, which draw, threshold and resize them. Always a copy: a Mat over a managed array would point into
/// memory the GC may move.
/// </summary>
public static class FloatMap
{
    public static Mat ToMat(float[] values, int height, int width)
    {
        var m = new Mat(height, width, MatType.CV_32FC1);
        System.Runtime.InteropServices.Marshal.Copy(values, 0, m.Data, values.Length);
        return m;
    }

    /// <summary>A continuous CV_32FC1 Mat's values, row-major.</summary>
    public static float[] ToArray(Mat m)
    {
        var values = new float[m.Rows * m.Cols];
        System.Runtime.InteropServices.Marshal.Copy(m.Data, values, 0, values.Length);
        return values;
    }
}
