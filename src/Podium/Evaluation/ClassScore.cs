namespace Podium.Evaluation;

/// <summary>Per-class precision, recall, F1 and support.</summary>
public sealed record ClassScore(string Name, double Precision, double Recall, double F1, int Support);
