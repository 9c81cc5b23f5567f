using System.ComponentModel;
using Spectre.Console.Cli;

namespace Podium.Cli;

public class DeviceSettings : CommandSettings
{
    [CommandOption("--device <DEVICE>")]
    [Description("auto, cpu or cuda (default: the config's device, auto)")]
    public string? Device { get; init; }
}
