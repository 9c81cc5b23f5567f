using System.ComponentModel;
using Podium.Config;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class AugmentOfflineCommand : PodiumCommand<AugmentOfflineCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<CONFIG>")]
        [Description("YAML config: data.train and its augment.train pipeline")]
        public string Config { get; init; } = "";

        [CommandOption("--copies <N>")]
        [Description("Augmented copies per image (default 4)")]
        public int Copies { get; init; } = 4;

        [CommandOption("--out <DIR>")]
        [Description("Output folder: images/ and manifest.csv")]
        public string Out { get; init; } = "";

        [CommandOption("--format <FORMAT>")]
        [Description("jpg (quality 95, default) or png")]
        public string Format { get; init; } = "jpg";

        [CommandOption("--no-originals")]
        [Description("Leave the original images out of the manifest")]
        public bool NoOriginals { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a config key, e.g. --set data.img_size=96 (repeatable)")]
        public string[] Set { get; init; } = [];
    }

    protected override int Run(Settings s)
    {
        if (s.Out.Length == 0) throw new PodiumException("augment offline: --out DIR is required");
        var config = ConfigLoader.Load(s.Config, s.Set);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = Runs.OfflineAugmenter.Run(config, s.Copies, s.Out, s.Format, !s.NoOriginals, Log);
        Log(F($"wrote {r.Sources * r.Copies} augmented images ({r.Copies} per image, {r.Sources} images) in " +
            $"{clock.Elapsed.TotalSeconds:F1} s"));
        Log($"manifest: {r.Manifest} ({r.Rows} rows); train on it with data.train: {r.Manifest}");
        return 0;
    }
}
