using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class EdaCommand : PodiumCommand<EdaCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<DATA>")]
        [Description("Image folder (one folder per class, or flat), CSV manifest, idx file, or OCR folder (img/ + box/)")]
        public string Data { get; init; } = "";

        [CommandOption("--test <TEST_DATA>")]
        [Description("Test images (a folder or CSV): compared with DATA for leakage and shift")]
        public string? Test { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Where eda.json, report.html and plots/ go (default: eda)")]
        public string Out { get; init; } = "eda";

        [CommandOption("--hash-distance <BITS>")]
        [Description("Near duplicates: perceptual hashes at most this many bits apart (default 10)...")]
        public int HashDistance { get; init; } = 10;

        [CommandOption("--similarity <R>")]
        [Description("...and 32x32 thumbnails correlating at least this much (default 0.99)")]
        public double Similarity { get; init; } = 0.99;

        [CommandOption("--min-size <PX>")]
        [Description("Images with a side under this are reported as tiny (default 32)")]
        public int MinSize { get; init; } = 32;

        [CommandOption("--max-aspect <R>")]
        [Description("Images longer than this many times their width are reported (default 5)")]
        public double MaxAspect { get; init; } = 5;

        [CommandOption("--threads <N>")]
        [Description("Scanning threads (default: all cores)")]
        public int Threads { get; init; }

        [CommandOption("--seed <SEED>")]
        [Description("Seed for the sample grid (default 0)")]
        public int Seed { get; init; }

        [CommandOption("--text-points <N>")]
        [Description("Text data in ICDAR txt files: N points per line (default 4), or 0 for any number")]
        public int TextPoints { get; init; } = Podium.Data.IcdarText.QuadPoints;
    }

    protected override int Run(Settings s)
    {
        if (s.HashDistance is < 0 or > 64) throw new PodiumException($"--hash-distance {s.HashDistance}: between 0 and 64 bits");
        if (s.Similarity is < -1 or > 1) throw new PodiumException($"--similarity {s.Similarity}: a correlation in [-1, 1]");
        var options = new Eda.EdaOptions
        {
            HashDistance = s.HashDistance,
            Similarity = s.Similarity,
            MinSide = s.MinSize,
            MaxAspect = s.MaxAspect,
            Threads = s.Threads > 0 ? s.Threads : Environment.ProcessorCount,
            Seed = s.Seed,
            TextPoints = Podium.Data.IcdarText.CheckPoints(s.TextPoints, "--text-points"),
        };
        var r = Eda.EdaRunner.Run(s.Data, s.Test, s.Out, options, Log);
        Log(F($"{r.Kind} data: {r.Images} images") + (r.Skipped > 0 ? F($" ({r.Skipped} left out)") : "") +
            (r.Classes.Count > 0 ? F($", {r.Classes.Count} classes, imbalance ratio {r.ImbalanceRatio:F2}") : ""));
        Log($"normalize: mean [{string.Join(", ", r.Normalize.Mean.Select(v => F($"{v:F4}")))}], std " +
            $"[{string.Join(", ", r.Normalize.Std.Select(v => F($"{v:F4}")))}]");
        Log(F($"duplicates: {r.Duplicates.ExactPairs} identical and {r.Duplicates.NearPairs} near pairs ({r.Duplicates.RedundantImages} " +
            $"redundant images)"));
        if (r.Test is not null) Log(F($"leakage: {r.Leakage.ExactPairs} identical and {r.Leakage.NearPairs} near train/test pairs"));
        Log(F($"suspicious files: {r.Suspicious.Count}"));
        if (r.Text is { } t) Log(F($"text regions: {t.Regions} ({t.DontCare} don't care), median {t.RegionsPerImage.Median} per image, " +
            $"median height {t.Height.Median:F1} px"));
        Log(F($"done in {r.Seconds:F1} s"));
        Log($"report: {Path.GetFullPath(Path.Combine(s.Out, "report.html"))}");
        return 0;
    }
}
