namespace Podium.Runs;

/// <summary>The range test's curve and what it suggests.</summary>
public sealed record LrFinderResult(double[] Lrs, double[] Losses, double[] Smoothed, double Suggested, double MinLossLr, bool StoppedEarly,
    string Csv, string Plot);
