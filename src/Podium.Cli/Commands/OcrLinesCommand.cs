using System.ComponentModel;
using Podium.Quickstart;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class OcrLinesCommand : PodiumCommand<OcrLinesCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-n|--count <N>")]
        [Description("How many line images to write (default 1000)")]
        public int Count { get; init; } = 1000;

        [CommandOption("--seed <SEED>")]
        [Description("Seed of the texts, fonts and degradations (default 0): the same seed writes the same files")]
        public int Seed { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Folder for img/ and lines.csv (default lines/)")]
        public string Out { get; init; } = "lines";
    }

    protected override int Run(Settings s)
    {
        if (s.Count < 1) throw new PodiumException($"--count {s.Count}: at least 1");
        var fonts = SyntheticLines.Fonts();
        SyntheticLines.Generate(s.Out, s.Count, s.Seed);
        Log($"{s.Count} synthetic lines in {fonts.Count} fonts: {Path.Combine(s.Out, "lines.csv")} (crop,text), images in " +
            $"{Path.Combine(s.Out, "img")}");
        return 0;
    }
}
