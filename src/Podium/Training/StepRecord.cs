namespace Podium.Training;

/// <summary>One optimizer step, as logged to metrics.csv: the loss (and the task's named parts of it), lr and where the time
/// went.</summary>
public sealed record StepRecord(long Step, int Epoch, double Lr, double Loss, double DataWaitMs, double StepMs, double DecodeMs = 0,
    double AugmentMs = 0,
    IReadOnlyList<double>? Parts = null)
{
    /// <summary>The column of a named loss part (metrics.csv, the run store, TensorBoard): loss_NAME.</summary>
    public static string PartColumn(string name) => "loss_" + name;

    /// <summary>The logged parts by column, for the task's part names (a step logged without parts has none).</summary>
    public IEnumerable<(string Column, double Value)> NamedParts(IReadOnlyList<string> names) =>
        (Parts ?? []).Zip(names, (value, name) => (PartColumn(name), value));
}
