namespace Podium.Evaluation;

/// <summary>Class probabilities for every sample a loader yields, in dataset order (multi-label: one independent probability per
/// label).</summary>
public sealed record Predictions(float[,] Probabilities, int[] Indices, bool MultiLabel = false)
{
    public int[] Predicted => ClassificationMetrics.ArgMax(Probabilities);
}
