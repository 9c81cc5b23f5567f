using Podium.Evaluation;

namespace Podium.Tasks.Anomaly;

/// <summary>A detector's validation images judged at the threshold the run chose on them.</summary>
public sealed record AnomalyOutcome(AnomalyScore Score, AnomalyThreshold Threshold) : TaskOutcome
{
    public override IReadOnlyDictionary<string, double> Figures => Score.Figures.Append(KeyValuePair.Create("threshold",
        Threshold.Value)).ToDictionary();
}
