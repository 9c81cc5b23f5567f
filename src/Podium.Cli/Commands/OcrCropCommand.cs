using System.ComponentModel;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class OcrCropCommand : PodiumCommand<OcrCropCommand.Settings>
{
    public sealed class Settings : OcrDataSettings
    {
        [CommandOption("--input <IMG_OR_DIR>")]
        [Description("An image, or a folder of images")]
        public string? Input { get; init; }

        [CommandOption("--boxes <DIR>")]
        [Description("Or take them from ICDAR files: NAME.txt, gt_NAME.txt or res_NAME.txt (truth or podium ocr detect's output)")]
        public string? Boxes { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Where the line images and crops.csv go (default crops/)")]
        public string Out { get; init; } = "crops";
    }

    protected override int Run(Settings s)
    {
        if (s.Input is null || (s.Run is null) == (s.Boxes is null))
            throw new PodiumException("ocr crop: give --input IMG_OR_DIR and one of --run DIR or --boxes DIR");
        var r = Podium.Runs.TextDetections.Crop(s.Run is null ? null : s.LoadDetector(), s.Boxes, s.Points(), s.Input, s.Out);
        if (r.Skipped.Count > 0) Log($"skipped {r.Skipped.Count} inputs: {Data.SkippedInput.Summarize(r.Skipped)}");
        if (r.Missing > 0) Log($"{r.Missing} images have no box file in {s.Boxes}");
        Log($"{r.Lines} line images from {r.Images} images in {s.Out} (crops.csv lists them)");
        return 0;
    }
}
