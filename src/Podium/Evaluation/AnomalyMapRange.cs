namespace Podium.Evaluation;

/// <summary>The anomaly map values heat maps colour from blue to red: from what a normal image's map typically holds (the median
/// of the normal validation images' map means) to what only the odd normal image reaches (the 99th percentile of their
/// peaks), so normal regions stay cool and every heat map of a run is on one scale.</summary>
public sealed record AnomalyMapRange(double Low, double High)
{
    public static AnomalyMapRange Of(double[] means, double[] peaks, bool[] anomalous)
    {
        var normal = Enumerable.Range(0, means.Length).Where(i => !anomalous[i]).ToArray();
        if (normal.Length == 0) normal = [.. Enumerable.Range(0, means.Length)];
        double low = AnomalyThreshold.PercentileOf([.. normal.Select(i => means[i])], 50);
        double high = AnomalyThreshold.PercentileOf([.. normal.Select(i => peaks[i])], 99);
        return new(low, Math.Max(high, low + 1e-9));
    }
}
