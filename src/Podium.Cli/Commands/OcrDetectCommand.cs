using System.ComponentModel;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class OcrDetectCommand : PodiumCommand<OcrDetectCommand.Settings>
{
    public sealed class Settings : OcrDetectorSettings
    {
        [CommandOption("--input <IMG_OR_DIR>")]
        [Description("An image, or a folder of images")]
        public string? Input { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Where NAME.json, res_NAME.txt (ICDAR) and NAME_detected.jpg go (default detections/)")]
        public string Out { get; init; } = "detections";
    }

    protected override int Run(Settings s)
    {
        if (s.Run is null || s.Input is null) throw new PodiumException("ocr detect: give --run DIR --input IMG_OR_DIR");
        var r = Podium.Runs.TextDetections.Detect(s.LoadDetector(), s.Input, s.Out, Log);
        if (r.Skipped.Count > 0) Log($"skipped {r.Skipped.Count} inputs: {Data.SkippedInput.Summarize(r.Skipped)}");
        Log($"{r.Images} images, {r.Regions} regions; results in {s.Out}");
        return 0;
    }
}
