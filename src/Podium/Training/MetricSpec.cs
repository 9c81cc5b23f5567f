namespace Podium.Training;

/// <summary>A validation metric a task reports every epoch (logged as <see cref="Column"/>), and which way is better.</summary>
public sealed record MetricSpec(string Name, bool HigherIsBetter)
{
    /// <summary>Its column in epochs.csv and its key in an epoch's metrics: val_NAME.</summary>
    public string Column => "val_" + Name;
}
