namespace Podium.Tracking;

/// <summary>One trial of a study as Optuna records it: its number in the study, state (RUNNING, COMPLETE, PRUNED, FAIL,
/// WAITING), objective value, parameters (stored form: numbers and choice indexes), intermediate values by step (the epoch's
/// monitored figure), start and end.</summary>
public sealed record StudyTrial(int Id, int Number, string State, double? Value, IReadOnlyDictionary<string, double> Params,
    IReadOnlyDictionary<int, double> Intermediate, DateTime? Started, DateTime? Completed);
