using System.ComponentModel;
using Podium.Data;
using Podium.Ocr;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class OcrTargetsCommand : PodiumCommand<OcrTargetsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DATA>")]
        [Description("Text-detection data: an ICDAR/SROIE folder (img/ + box/) or a text manifest (.json)")]
        public string Data { get; init; } = "";

        [CommandOption("-n|--count <N>")]
        [Description("How many images to render (default 4, the first ones)")]
        public int Count { get; init; } = 4;

        [CommandOption("--shrink-ratio <R>")]
        [Description("r in D = A(1 - r^2)/L (default 0.4)")]
        public double ShrinkRatio { get; init; } = 0.4;

        [CommandOption("--out <DIR>")]
        [Description("Folder for the PNGs (default targets/)")]
        public string Out { get; init; } = "targets";

        [CommandOption("--text-points <N>")]
        [Description("ICDAR txt lines hold N points (default 4; 14 for CTW1500), or 0 for any number per line")]
        public int TextPoints { get; init; } = IcdarText.QuadPoints;
    }

    protected override int Run(Settings s)
    {
        if (s.Count < 1) throw new PodiumException($"--count {s.Count}: at least 1");
        if (s.ShrinkRatio is <= 0 or >= 1) throw new PodiumException($"--shrink-ratio {s.ShrinkRatio}: a value in (0, 1)");
        var load = Data.DatasetReader.Open(s.Data, textPoints: IcdarText.CheckPoints(s.TextPoints, "--text-points"));
        if (load.Skipped.Count > 0) Log($"skipped {load.Skipped.Count} inputs: {load.SkipSummary()}");
        var data = load.Dataset;
        if (data.Polygons(0) is null) throw new PodiumException($"{s.Data}: no text polygons (an ICDAR folder img/ + box/, or a text " +
            $"manifest)");
        Directory.CreateDirectory(s.Out);
        var options = new DbTargetOptions(ShrinkRatio: s.ShrinkRatio);
        for (int i = 0; i < Math.Min(s.Count, data.Count); i++)
        {
            var (path, maps, regions) = DbTargets.WritePicture(data, i, options, s.Out);
            Log(F($"{path}: {regions} regions ({maps.Ignored} ignored), text " +
                $"{maps.Probability.Count(v => v > 0) / (double)maps.Probability.Length:P1} of the pixels, border band " +
                $"{maps.ThresholdMask.Count(v => v > 0) / (double)maps.ThresholdMask.Length:P1}"));
        }
        return 0;
    }
}
