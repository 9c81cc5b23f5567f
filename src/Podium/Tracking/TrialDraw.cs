namespace Podium.Tracking;

/// <summary>A new trial's parameters (name, stored value, Optuna's distribution JSON), chosen from the study's trials so far
/// for trial <paramref name="number"/>; null when there is nothing left to try.</summary>
public delegate IReadOnlyList<(string Name, double Value, string Distribution)>? TrialDraw(IReadOnlyList<StudyTrial> trials, int number);
