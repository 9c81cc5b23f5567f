namespace Podium.Eda;

/// <summary>The outcome: how well a classifier tells test images from train images, and how test-like each train image looks.</summary>
public sealed record AdversarialResult(double Auc, double[] TrainScores, double[] TestScores, IReadOnlyList<(string Feature,
    double Weight)> Strongest, double Penalty);
