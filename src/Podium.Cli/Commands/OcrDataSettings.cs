using System.ComponentModel;
using Podium.Data;
using Spectre.Console.Cli;

namespace Podium.Cli;

/// <summary>Detector options plus how ICDAR txt annotations are read.</summary>
public class OcrDataSettings : OcrDetectorSettings
{
    [CommandOption("--text-points <N>")]
    [Description("ICDAR txt lines hold N points (default 4; 14 for CTW1500), or 0 for any number per line")]
    public int TextPoints { get; init; } = IcdarText.QuadPoints;

    /// <summary>The checked --text-points.</summary>
    public int Points() => IcdarText.CheckPoints(TextPoints, "--text-points");
}
