using System.ComponentModel;
using Podium.Config;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class AugmentPreviewCommand : PodiumCommand<AugmentPreviewCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<CONFIG>")]
        [Description("YAML config: data.train and the pipeline to preview")]
        public string Config { get; init; } = "";

        [CommandOption("-n|--number <N>")]
        [Description("Number of samples (default 16)")]
        public int N { get; init; } = 16;

        [CommandOption("--out <FILE>")]
        [Description("PNG to write (default augment_preview.png)")]
        public string Out { get; init; } = "augment_preview.png";

        [CommandOption("--section <SECTION>")]
        [Description("train or val pipeline (default train)")]
        public string Section { get; init; } = "train";

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a config key, e.g. --set data.img_size=96 (repeatable)")]
        public string[] Set { get; init; } = [];
    }

    protected override int Run(Settings s)
    {
        if (s.N is < 1 or > 400) throw new PodiumException($"--n {s.N}: between 1 and 400 samples");
        if (s.Section is not ("train" or "val")) throw new PodiumException($"--section {s.Section}: expected train or val");
        var config = ConfigLoader.Load(s.Config, s.Set);
        var items = s.Section == "train" ? config.Augment.Train : config.Augment.Val;
        var pipeline = Augment.Pipelines.Build(config, items, $"augment.{s.Section}");
        // Preview needs no labels: a flat folder of images (receipts, say) is shown by file name.
        var load = Data.DatasetReader.OpenToLook(config.Data.Train, config.Data.TextPoints);
        if (load.Skipped.Count > 0) Log($"skipped {load.Skipped.Count} inputs: {load.SkipSummary()}");
        using var grid = Runs.AugmentPreview.Render(load.Enforce(config.Data.OnBadInput), pipeline, config.Data.Channels, s.N, config.Seed);
        IO.AtomicFile.WritePng(s.Out, grid);
        Log($"wrote {s.N} augmented samples to {Path.GetFullPath(s.Out)}");
        return 0;
    }
}
