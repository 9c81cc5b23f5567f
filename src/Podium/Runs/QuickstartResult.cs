namespace Podium.Runs;

public sealed record QuickstartResult(string Root, TrainOutcome Train, string Submission, double TestAccuracy, string EdaReport);
