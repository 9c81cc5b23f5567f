using System.ComponentModel;
using Podium.Config;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class LrFindCommand : PodiumCommand<LrFindCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandArgument(0, "<CONFIG>")]
        [Description("YAML config to test learning rates for (any task)")]
        public string Config { get; init; } = "";

        [CommandOption("--start <LR>")]
        [Description("Lowest learning rate (default 1e-7)")]
        public double Start { get; init; } = 1e-7;

        [CommandOption("--end <LR>")]
        [Description("Highest learning rate (default 10)")]
        public double End { get; init; } = 10;

        [CommandOption("--steps <N>")]
        [Description("Steps of the test (default 100)")]
        public int Steps { get; init; } = 100;

        [CommandOption("--out <DIR>")]
        [Description("Where lr_find.png and lr_find.csv go (default lr_find)")]
        public string Out { get; init; } = "lr_find";

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a config key, e.g. --set train.batch_size=32 (repeatable)")]
        public string[] Set { get; init; } = [];

        [CommandOption("--print-config")]
        [Description("Print the resolved config (every default filled in, paths absolute) and exit; data.normalize: auto is measured " +
            "when training starts")]
        public bool PrintConfig { get; init; }

    }

    protected override int Run(Settings s)
    {
        var config = ConfigLoader.Load(s.Config, s.Set);
        if (s.Device is not null) config = config with { Device = s.Device };
        if (s.PrintConfig)
        {
            Console.Write(ConfigLoader.ToYaml(Podium.Runs.ConfigResolver.Resolve(config, s.Config)));
            return 0;
        }
        var r = Podium.Runs.LrFinder.Run(config, s.Out, s.Start, s.End, s.Steps, Log);
        Log(F($"{r.Lrs.Length} steps{(r.StoppedEarly ? " (stopped: the loss exploded)" : "")}; lowest smoothed loss at lr " +
            $"{r.MinLossLr:G3}"));
        Log(F($"suggested lr: {r.Suggested:G3} (steepest descent); the rule of thumb minimum/10 gives {r.MinLossLr / 10:G3}"));
        Log($"plot: {Path.GetFullPath(r.Plot)}");
        return 0;
    }
}
