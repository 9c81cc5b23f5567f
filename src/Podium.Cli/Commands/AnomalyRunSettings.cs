using System.ComponentModel;
using Spectre.Console.Cli;

namespace Podium.Cli;

/// <summary>What podium anomaly score and evaluate share: the run and the threshold applied.</summary>
public class AnomalyRunSettings : DeviceSettings
{
    [CommandOption("--run <DIR>")]
    [Description("An anomaly detection run (podium anomaly train)")]
    public string Run { get; init; } = "";

    [CommandOption("--threshold <FILE>")]
    [Description("A threshold file of this run's model (default: the run's threshold.json)")]
    public string? Threshold { get; init; }
}
