namespace Podium.Training;

/// <summary>A schedule that also learns from each epoch's monitored metric.</summary>
public interface IMetricDriven
{
    /// <summary>Called after validating epoch <paramref name="epoch"/> (1-based) with the metric's value.</summary>
    void Observe(int epoch, double value);
}
