namespace Podium.Ocr;

/// <summary>What detecting one image found, and how long the network and the post-processing took.</summary>
public sealed record DetectionResult(List<TextDetection> Regions, int InputHeight, int InputWidth, double NetworkMs, double PostProcessMs)
{
    /// <summary>Median network and post-processing times of a series of detections; the first warms the network up and is left
    /// out.</summary>
    public static (double NetworkMs, double PostProcessMs) MedianTimes(IReadOnlyList<DetectionResult> results)
    {
        var steady = results.Count > 1 ? results.Skip(1).ToList() : results;
        return (Median(steady.Select(r => r.NetworkMs)), Median(steady.Select(r => r.PostProcessMs)));
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
