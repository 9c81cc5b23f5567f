using System.Runtime.InteropServices;
using Podium.Config;
using Podium.Data;
using Podium.Evaluation;
using Podium.Models;
using Podium.Platform;
using Podium.Tracking;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>What a finished training run left behind.</summary>
public sealed record TrainResult(RunDirectory Run, EpochRecord Best, int BestEpoch, EvaluationResult Evaluation);

/// <summary>
/// config → data → model → Trainer with callbacks → best checkpoint evaluated → report.
/// Everything a run produces lands in its <see cref="RunDirectory"/>.
/// </summary>
public static class TrainingRun
{
    /// <summary>What a training loop needs, built from a config: data, model, loader, optimizer, loss.</summary>
    public sealed record Parts(Device Device, DataSetup Data, nn.Module<Tensor, Tensor> Model, BatchLoader TrainLoader,
        Optimizers.Optimizer Optimizer, nn.Module<Tensor, Tensor, Tensor> Loss);

    /// <summary>Prepares data, model (seeded), training loader, optimizer and loss, logging what the user should know.</summary>
    public static Parts Build(PodiumConfig config, Action<string> log)
    {
        // The saved config must work from any directory: evaluate and predict re-read it.
        if (config.Data.Train.Length > 0) config.Data.Train = Path.GetFullPath(config.Data.Train);
        if (config.Data.Split is not null) config.Data.Split = Path.GetFullPath(config.Data.Split);
        if (config.Data.Val is not null) config.Data.Val = Path.GetFullPath(config.Data.Val);
        TorchRuntime.Configure(config.Train.Threads);
        var device = DeviceSelector.Resolve(config.Device);
        // TorchSharp 0.107 cannot switch libtorch to deterministic-only kernels (use_deterministic_algorithms is
        // "not implemented"); CPU kernels with a fixed thread count and Podium's seeded loader repeat bit for bit.
        if (config.Deterministic && device.type != DeviceType.CPU)
            throw new PodiumException("deterministic: true is available on CPU only (TorchSharp cannot select deterministic CUDA kernels); use --device cpu");
        var data = DataSetup.Prepare(config, log);
        if (config.Data.Split is not null && config.Data.Train.Length > 0)
            log($"data.split {config.Data.Split} lists the images; data.train ({config.Data.Train}) is not used");
        if (data.Skipped.Count > 0)
            log($"skipped {data.Skipped.Count} of {data.InputCount} inputs: {data.SkipSummary()}");

        manual_seed(config.Seed);
        var model = CreateModel(config, data.Classes.Count);
        log($"model {config.Model.Name}: {model.parameters().Sum(p => p.numel()) / 1e6:0.00} M parameters");
        if (config.Model.Pretrained is { } pretrained)
        {
            var file = pretrained.StartsWith(HubDownload.Prefix, StringComparison.Ordinal) ? HubDownload.Resolve(pretrained, log) : Path.GetFullPath(pretrained);
            if (!pretrained.StartsWith(HubDownload.Prefix, StringComparison.Ordinal)) config.Model.Pretrained = file;
            log($"pretrained {pretrained}: {Pretrained.Load(model, file, config.Model.Name).Summary()}");
        }
        model.to(device);
        var trainLoader = data.TrainLoader(config);
        if (trainLoader.BatchesPerEpoch == 0) throw new PodiumException($"{config.Data.Split ?? config.Data.Train}: {data.Train.Count} training images make no full batch of {config.Train.BatchSize}; lower train.batch_size");
        config.Train.Optimizer.Head ??= config.Train.Optimizer.BackboneLrScale != 1 ? ModelRegistry.HeadPattern(config.Model.Name) : null;
        var optimizer = OptimizerFactory.Create(config.Train.Optimizer, model.named_parameters());
        if (optimizer.Groups.Count > 1)
            log("parameter groups: " + string.Join("; ", optimizer.Groups.Select(g => $"{g.Name} {g.Parameters.Count} tensors, lr x{g.LrScale:0.###}, weight decay {g.WeightDecay:0.####}")));
        var classCounts = trainLoader.ClassCounts(Enumerable.Range(0, data.Train.Count).ToArray(), data.Train.Count);
        int multiLabelImages = data.Train.MultiLabel ? data.Train.Count : 0;
        var loss = Losses.Create(config.Train.Loss, classCounts, device, scale: config.Model.Head?.Scale ?? 30, multiLabelImages: multiLabelImages);
        if (Losses.ClassWeights(config.Train.Loss, classCounts, multiLabelImages) is { } weights)
            log($"loss {(multiLabelImages > 0 ? "label (positive)" : "class")} weights: " + string.Join(", ", data.Classes.Select((c, k) => $"{c} {weights[k]:0.###}")));
        return new Parts(device, data, model, trainLoader, optimizer, loss);
    }

    /// <summary>The configured model, untrained: the run's own, and its low-precision compute copy.</summary>
    public static nn.Module<Tensor, Tensor> CreateModel(PodiumConfig config, int classes) =>
        ModelRegistry.Create(config.Model.Name, classes, config.Data.Channels, config.Model.Head, ModelOptions.From(config));

    /// <summary>train.precision and train.channels_last for this model, saying what runs where.</summary>
    public static MixedPrecision Precision(PodiumConfig config, nn.Module<Tensor, Tensor> model, int classes, Device device, Action<string> log)
    {
        var dtype = MixedPrecision.Parse(config.Train.Precision);
        if (dtype == ScalarType.Float16 && device.type == DeviceType.CPU)
            log("train.precision: fp16 on CPU runs slowly (no fp16 arithmetic); bf16 is the CPU's fast 16-bit type");
        if (dtype == ScalarType.BFloat16 && device.type == DeviceType.CPU && !CpuFeatures.HasNativeBFloat16())
            log("train.precision: this CPU has no native bf16 (AVX512-BF16 or AMX); bf16 may run slower than fp32");
        var precision = new MixedPrecision(model, () => CreateModel(config, classes), dtype, config.Train.ChannelsLast, device);
        if (!precision.IsPlain)
            log($"compute: {config.Train.Precision}{(config.Train.ChannelsLast ? ", channels-last" : "")}" +
                (dtype == ScalarType.Float32 ? "" : " copy of the model (norm layers fp32), fp32 master weights") + (dtype == ScalarType.Float16 ? ", dynamic loss scale" : ""));
        return precision;
    }

    /// <summary>Continues a run from its last complete epoch (checkpoints/resume.json), with the config it was started with.</summary>
    public static TrainResult Resume(string runPath, string? device, Action<string> log)
    {
        var (config, dir) = ResumeCheckpoint.Prepare(runPath, device);
        return Execute(config, runPath, log, resumeFrom: dir);
    }

    public static TrainResult Execute(PodiumConfig config, string runPath, Action<string> log, string? resumeFrom = null)
    {
        var (device, data, model, trainLoader, optimizer, loss) = Build(config, log);
        var run = RunDirectory.Create(runPath);
        if (resumeFrom is null)
        {
            AtomicFile.WriteAllText(run.Config, ConfigLoader.ToYaml(config));
            AtomicFile.WriteAllLines(run.Classes, data.Classes);
            if (data.Holdout is { } h) Splits.WriteCsv(run.Split, h.Source, h.Train, h.Val);
            if (data.Skipped.Count > 0)
                AtomicFile.WriteAllLines(run.Skipped, ["input,problem", .. data.Skipped.Select(s => Csv.Line([s.Where, s.Problem]))]);
        }
        else if (!run.ReadClasses().SequenceEqual(data.Classes))
            throw new PodiumException($"{run.Classes}: the run's classes differ from its data's now ({string.Join(", ", data.Classes)}); it cannot be resumed");
        log($"data: {data.Train.Count} train / {data.Val.Count} val images ({data.Description}), {data.Classes.Count} classes; run: {run.Root}");

        var valLoader = DataSetup.EvalLoader(data.Val, data.ValPipeline, config);
        var state = new TrainerState
        {
            Config = config, Model = model, Classes = data.Classes, Epochs = config.Train.Epochs,
            StepsPerEpoch = trainLoader.BatchesPerEpoch, Accumulate = config.Train.Accumulate,
        };
        var schedule = LrSchedule.Create(PlateauDefaults(config), config.Train.Optimizer.Lr, state.TotalUpdates, state.UpdatesPerEpoch);
        var facts = Environment(device, data);

        using var csv = new CsvLogger(run);
        using var ema = config.Train.Ema.Decay is { } decay ? new ModelEma(model, decay, config.Train.Ema.Warmup) : null;
        using var precision = Precision(config, model, data.Classes.Count, device, log);
        ConsoleProgress.Run(progress =>
        {
            List<ITrainerCallback> callbacks = [csv, new CheckpointSaver(run), new CurvePlotter(run), new SummaryWriter(run, facts),
                new ClassDistributionLogger(run, trainLoader, log), progress];
            if (config.Train.EarlyStopping.Patience is { } patience) callbacks.Insert(0, new EarlyStopping(patience, config.Train.EarlyStopping.MinDelta));
            if (config.Model.Freeze == "backbone")
                callbacks.Insert(0, new FreezeSchedule(config.Model, config.Train.Optimizer.Head ?? ModelRegistry.HeadPattern(config.Model.Name), log));
            var mixer = new Augment.BatchMixer(config.Augment.Batch, config.Seed);
            var task = new ClassificationTask(loss, data.Classes.Count, Trainer.ExtraMetrics(config.Train), mixer.Enabled ? mixer : null);
            var trainer = new Trainer(state, optimizer, schedule, task, device, callbacks, ema, run, precision.IsPlain ? null : precision);
            if (resumeFrom is not null) trainer.ResumeFrom(resumeFrom, log);
            trainer.Fit(trainLoader, valLoader);
            return 0;
        });

        if (state.StopReason is not null) log(state.StopReason);
        // The report describes the best checkpoint, not the last epoch.
        model.load(run.BestCheckpoint);
        var evaluation = RunEvaluator.Evaluate(run, model, valLoader, device, "validation split");
        HtmlReport.Write(run);
        return new TrainResult(run, state.BestRecord!, state.BestEpoch, evaluation);
    }

    /// <summary>A plateau schedule watches train.monitor unless told otherwise, minimising losses and maximising the rest.</summary>
    private static Config.SchedulerConfig PlateauDefaults(PodiumConfig config)
    {
        var s = config.Train.Scheduler;
        s.Metric ??= s.Name == "plateau" ? config.Train.MonitorName() : null;
        s.Mode ??= s.Metric is null ? null : Trainer.LowerIsBetter(s.Metric) ? "min" : "max";
        return s;
    }

    private static Dictionary<string, object> Environment(Device device, DataSetup data) => new()
    {
        ["environment"] = new Dictionary<string, object>
        {
            ["podium"] = typeof(TrainingRun).Assembly.GetName().Version?.ToString() ?? "",
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
            ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString() ?? "",
            ["libtorch"] = __version__,
            ["device"] = device.type.ToString().ToLowerInvariant(),
            ["cores"] = System.Environment.ProcessorCount,
            ["torch_threads"] = get_num_threads(),
        },
        ["data"] = new Dictionary<string, object>
        {
            ["train_images"] = data.Train.Count,
            ["val_images"] = data.Val.Count,
            ["skipped_inputs"] = data.Skipped.Count,
        },
    };
}
