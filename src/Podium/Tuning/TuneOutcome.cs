using Podium.Tracking;

namespace Podium.Tuning;

/// <summary>A worker's end: the study's trials as they stand, how many this worker ran, and the best complete trial.</summary>
public sealed record TuneOutcome(string Study, string Store, IReadOnlyList<StudyTrial> Trials, int Ran, StudyTrial? Best);
