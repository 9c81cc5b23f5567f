using System.ComponentModel;
using System.Globalization;
using Podium.Config;
using Podium.Evaluation;
using Podium.Quickstart;
using Podium.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

public class DeviceSettings : CommandSettings
{
    [CommandOption("--device <DEVICE>")]
    [Description("auto, cpu or cuda (default: the config's device, auto)")]
    public string? Device { get; init; }
}
