using System.ComponentModel;
using Podium.Ocr;
using Podium.Runs;
using Spectre.Console.Cli;

namespace Podium.Cli;

/// <summary>The options of commands that detect with a trained run: the run, test-time views and the two post-processing
/// overrides.</summary>
public class OcrDetectorSettings : DeviceSettings
{
    [CommandOption("--run <DIR>")]
    [Description("A run written by podium ocr train")]
    public string? Run { get; init; }

    [CommandOption("--tta <VIEWS>")]
    [Description("Average the probability maps of more views: hflip, scales=0.75:1.25")]
    public string? Tta { get; init; }

    [CommandOption("--unclip-ratio <R>")]
    [Description("Override the run's ocr.unclip_ratio (0: the exact inverse of the training shrink)")]
    public double? UnclipRatio { get; init; }

    [CommandOption("--box-threshold <P>")]
    [Description("Override the run's ocr.box_threshold")]
    public double? BoxThreshold { get; init; }

    [CommandOption("--eval-size <PX>")]
    [Description("Override the run's ocr.eval_size: the long side images are resized to (a multiple of 32)")]
    public int? EvalSize { get; init; }

    /// <summary>The run's detector with these options applied.</summary>
    public DbTextDetector LoadDetector()
    {
        if (EvalSize is < 64 or > 4096) throw new PodiumException($"--eval-size {EvalSize}: between 64 and 4096 pixels");
        return DetectionRunLoader.Load(Run!, Device, o => o with
        {
            UnclipRatio = UnclipRatio ?? o.UnclipRatio,
            BoxThreshold = BoxThreshold ?? o.BoxThreshold,
            EvalSize = EvalSize ?? o.EvalSize,
        }, Tta).Detector;
    }
}
