namespace Podium.Tasks.Classification;

/// <summary>What TTA bought: the metric on the plain view and on the merged views.</summary>
public sealed record TtaGain(string Spec, string Merge, int Views, string Metric, double Plain, double Merged);
