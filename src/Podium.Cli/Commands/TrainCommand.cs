using System.ComponentModel;
using Podium.Config;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class TrainCommand : PodiumCommand<TrainCommand.Settings>
{
    public class Settings : DeviceSettings
    {
        [CommandArgument(0, "[CONFIG]")]
        [Description("YAML config file")]
        public string? Config { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a config key, e.g. --set train.epochs=3 (repeatable)")]
        public string[] Set { get; init; } = [];

        [CommandOption("--out <DIR>")]
        [Description("Run directory (default: runs/<name>, or runs/<name>-2 ... when taken)")]
        public string? Out { get; init; }

        [CommandOption("--overwrite")]
        [Description("Replace the run already in --out (its files are deleted first) instead of refusing")]
        public bool Overwrite { get; init; }

        [CommandOption("--resume <RUN>")]
        [Description("Continue a stopped or killed run from its last complete epoch, exactly as it would have gone on")]
        public string? Resume { get; init; }

        [CommandOption("--from-trial <STUDY/N>")]
        [Description("Train a study's trial again (STUDY/best: its best finished one): its parameters on CONFIG, or on the trial " +
            "run's own config when CONFIG is left out; --set applies on top (e.g. more epochs, another fold)")]
        public string? FromTrial { get; init; }

        [CommandOption("--store <STORE>")]
        [Description("With --from-trial: the run store holding the study (default: PODIUM_TRACKING_STORE, else runs/podium.db)")]
        public string? Store { get; init; }

        [CommandOption("--print-config")]
        [Description("Print the resolved config (every default filled in, paths absolute) and exit; data.normalize: auto is measured " +
            "when training starts")]
        public bool PrintConfig { get; init; }
    }

    protected override int Run(Settings s)
    {
        if (s.PrintConfig) return PrintConfig(s);
        var outcome = Train(s, "train", tasks: null);
        if (outcome.Task is Podium.Tasks.SelfSupervised.SelfSupervisedOutcome) PretrainCommand.Print(outcome);
        else if (outcome.Task is Podium.Tasks.Anomaly.AnomalyOutcome) AnomalyTrainCommand.Print(outcome);
        else if (outcome.Task is not Podium.Tasks.Classification.ClassificationOutcome) OcrTrainCommand.Print(outcome);
        else
        {
            var best = outcome.Best!;
            Log(F($"best epoch {outcome.BestEpoch}: val accuracy {best.Value("val_accuracy"):F4}, macro F1 " +
                $"{best.Value("val_f1_macro"):F4}"));
            PrintEvaluation(((Podium.Tasks.Classification.ClassificationOutcome)outcome.Task).Evaluation);
            Log($"run: {outcome.Run.Root}");
            Log($"report: {outcome.Run.Report}");
        }
        return 0;
    }

    /// <summary>The resolved config of CONFIG (or of the run --resume names), as YAML on stdout.</summary>
    public static int PrintConfig(Settings s)
    {
        var path = s.Config ?? (s.Resume is not null
            ? new Tracking.RunDirectory(s.Resume).Config : throw new PodiumException("--print-config: a CONFIG file is required (or " +
            "--resume RUN)"));
        var config = ConfigLoader.Load(path, s.Set);
        if (s.Device is not null) config = config with { Device = s.Device };
        Console.Write(ConfigLoader.ToYaml(Podium.Runs.ConfigResolver.Resolve(config, path)));
        return 0;
    }

    /// <summary>Trains or resumes as the settings say, with console progress; <paramref name="tasks"/>, when given, are the tasks the
    /// config may be.</summary>
    public static Podium.Runs.TrainOutcome Train(Settings s, string command, string[]? tasks)
    {
        if (s.Resume is not null)
        {
            if (s.Config is not null || s.Set.Length > 0 || s.Out is not null || s.Overwrite)
                throw new PodiumException($"{command} --resume RUN takes the run's own config and folder; leave out CONFIG, --set, --out " +
                    $"and --overwrite");
            return ConsoleProgress.Run(progress => Podium.Runs.TrainingPipeline.Resume(s.Resume, s.Device, new()
            {
                Log = Log,
                Loggers = [progress],
                Tracking = true
            }));
        }
        PodiumConfig config;
        string name;
        if (s.FromTrial is not null)
        {
            var (fromTrial, trial, overrides) = Podium.Tuning.TrialConfig.Load(
                Tracking.RunStore.Open(Tracking.RunStore.Locate(s.Store)), s.FromTrial, s.Config, s.Set);
            var study = s.FromTrial[..s.FromTrial.LastIndexOf('/')];
            name = s.Set.Any(x => x.StartsWith("name=", StringComparison.Ordinal)) ? fromTrial.Name! : $"{study}-trial-{trial.Number}";
            config = fromTrial with { Name = name };
            Log(F($"{study} trial {trial.Number} ({trial.State.ToLowerInvariant()}, value {trial.Value:G6}): ") +
                string.Join(", ", overrides));
        }
        else
        {
            if (s.Config is null) throw new PodiumException($"{command}: a CONFIG file is required (or --resume RUN, or --from-trial)");
            config = ConfigLoader.Load(s.Config, s.Set);
            name = config.Name ?? Path.GetFileNameWithoutExtension(s.Config);
        }
        if (s.Device is not null) config = config with { Device = s.Device };
        if (tasks is not null && !tasks.Contains(Podium.Tasks.TaskRegistry.NameFor(config)))
            throw new PodiumException($"{s.Config ?? s.FromTrial}: {command} trains {string.Join(" or ", tasks)}, this config is " +
                $"{Podium.Tasks.TaskRegistry.NameFor(config)} (an ocr section makes a text-detection config, a rec section a " +
                "text-recognition one, an ssl section a pretraining one, an anomaly section an anomaly detector)");
        var runPath = s.Out ?? Tracking.RunDirectory.NextFree("runs", name);
        return ConsoleProgress.Run(progress => Podium.Runs.TrainingPipeline.Train(config, runPath, new()
        {
            Log = Log,
            Loggers = [progress],
            Tracking = true,
            Overwrite = s.Overwrite
        }));
    }
}
