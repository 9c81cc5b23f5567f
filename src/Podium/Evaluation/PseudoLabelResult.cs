namespace Podium.Evaluation;

/// <summary>What a round of pseudo-labelling kept.</summary>
public sealed record PseudoLabelResult(int Candidates, int Kept, IReadOnlyList<(string Class, int Confident, int Kept)> PerClass,
    double? Accuracy, string SplitPath, int LabelledRows);
