namespace Podium.Tasks.Classification;

/// <summary>One image's outcome: its truth, the predicted class and the probabilities of both.</summary>
public sealed record Outcome(int Index, int Truth, int Predicted, float PredictedProbability, float TruthProbability);
