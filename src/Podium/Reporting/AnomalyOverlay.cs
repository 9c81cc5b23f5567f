using OpenCvSharp;

namespace Podium.Reporting;

/// <summary>An anomaly map drawn over its image: resized to the image, blurred as PatchCore smooths its maps, coloured from blue
/// (the range's low end and below) to red (its high end and above: every image of a run on one scale, so colours compare), and
/// blended half over the photo.</summary>
public static class AnomalyOverlay
{
    /// <summary>The map drawn as the config's model made it: blurred by anomaly.map_sigma at data.img_size.</summary>
    public static Mat Draw(Mat rgb, float[,] map, Evaluation.AnomalyMapRange range, Config.PodiumConfig config) =>
        Draw(rgb, map, range, config.Anomaly!.MapSigma, config.Data.ImgSize);

    /// <param name="rgb">The image as read (RGB, any size: the model saw it resized to <paramref name="modelSize"/>).</param>
    /// <param name="map">The model's map of the image, at the model's resolution.</param>
    /// <param name="sigma">The blur in pixels of the model's input (0: none).</param>
    /// <returns>An RGB image of the photo's size.</returns>
    public static Mat Draw(Mat rgb, float[,] map, Evaluation.AnomalyMapRange range, double sigma, int modelSize)
    {
        using var values = Mat.FromPixelData(map.GetLength(0), map.GetLength(1), MatType.CV_32FC1, map);
        using var resized = new Mat();
        Cv2.Resize(values, resized, rgb.Size(), 0, 0, InterpolationFlags.Linear);
        if (sigma > 0) Cv2.GaussianBlur(resized, resized, new Size(0, 0), sigma * Math.Max(rgb.Width, rgb.Height) / modelSize);
        using var bytes = new Mat();
        double scale = 255 / (range.High - range.Low);
        resized.ConvertTo(bytes, MatType.CV_8UC1, scale, -range.Low * scale);
        using var heat = new Mat();
        Cv2.ApplyColorMap(bytes, heat, ColormapTypes.Jet);
        using var photo = new Mat();
        Cv2.CvtColor(rgb, photo, rgb.Channels() == 1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.RGB2BGR);
        using var blended = new Mat();
        Cv2.AddWeighted(photo, 0.5, heat, 0.5, 0, blended);
        var result = new Mat();
        Cv2.CvtColor(blended, result, ColorConversionCodes.BGR2RGB);
        return result;
    }
}
