using System.Runtime.InteropServices;
using Podium.Config;
using Podium.Data;
using Podium.IO;
using Podium.Models;
using Podium.Platform;
using Podium.Tasks;
using Podium.Tracking;
using Podium.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Runs;

/// <summary>
/// The one run pipeline of every task: resolve the config → claim the run folder → the task's data → the seeded model
/// (pretrained weights, device) → optimizer and schedule → the trainer with the callbacks every run gets (core share,
/// resume, freezing, early stopping, EMA, mixed precision, checkpoints, curves, summary, the task's own, loggers) → the
/// task's final evaluation of the best checkpoint → report.html. Everything a run produces lands in its folder.
/// </summary>
public static class TrainingPipeline
{
    /// <summary>Trains a config into <paramref name="runPath"/> (a new run; an existing one there is refused unless overwritten).</summary>
    public static TrainOutcome Train(PodiumConfig config, string runPath, RunOptions options) => Execute(config, runPath, options,
        resumeFrom: null);

    /// <summary>Continues a run from its last complete epoch (checkpoints/resume.json), with the config it was started with.</summary>
    public static TrainOutcome Resume(string runPath, string? device, RunOptions options)
    {
        var (config, from) = ResumeCheckpoint.Prepare(runPath, device);
        return Execute(config, runPath, options, from);
    }

    /// <summary>Continues a run when it has a resume set, else trains it afresh in its (replaced) folder.</summary>
    public static TrainOutcome ResumeOrTrain(PodiumConfig config, string runPath, RunOptions options)
    {
        var from = Directory.Exists(runPath) ? ResumeCheckpoint.TryLocate(new RunDirectory(runPath)) : null;
        return Execute(config, runPath, from is null ? options with { Overwrite = true } : options, from);
    }

    private static TrainOutcome Execute(PodiumConfig config, string runPath, RunOptions options, string? resumeFrom)
    {
        var log = options.Log;
        config = ConfigResolver.Resolve(config);
        var task = TaskRegistry.Get(config.Task!);
        TorchRuntime.Configure(config.Train.Threads);
        var device = DeviceSelector.Resolve(config.Device);
        // TorchSharp 0.107 cannot switch libtorch to deterministic-only kernels (use_deterministic_algorithms is
        // "not implemented"); CPU kernels with a fixed thread count and Podium's seeded loader repeat bit for bit.
        if (config.Deterministic && device.type != DeviceType.CPU)
            throw new PodiumException("deterministic: true is available on CPU only (TorchSharp cannot select deterministic CUDA " +
                "kernels); use --device cpu");
        // An unusable store stops here, before anything is written (tracking.enabled: false trains without one).
        using var store = options.Tracking && config.Tracking.Enabled
            ? new StoreLogger(RunStore.Open(RunStore.Locate(config.Tracking.Store)), log) : null;
        using var folder = RunFolder.Claim(runPath, resume: resumeFrom is not null, overwrite: options.Overwrite);
        var run = folder.Run;
        var prepared = task.Prepare(config, log); // the data first: a bad file fails before a model is built
        config = prepared.Config;
        var data = prepared.Data;

        manual_seed(config.Seed);
        var model = prepared.CreateModel();
        log(prepared.Describe(model));
        if (config.Model.Pretrained is { } pretrained && model is not (ImportedDbNet or ImportedRecogniser)) // imported: its own weights
        {
            var report = Pretrained.Load(model, pretrained, config.Model.Name, log);
            log($"pretrained {pretrained}: {report.Summary()}");
            if (config.Model.PretrainedStrict && report.Unfit(prepared.HeadPattern) is { Count: > 0 } unfit)
                throw new PodiumException($"model.pretrained: {pretrained} does not fit {config.Model.Name}: {unfit.Count} tensors " +
                    "outside " +
                    $"the head did not load ({string.Join(", ", unfit.Take(3))}{(unfit.Count > 3 ? ", ..." : "")}; {report.Loaded} did); " +
                    "weights of another architecture? set model.pretrained_strict: false to train from a partial load");
        }
        model.to(device);
        // Discriminative learning rates need a head: the task's, unless the config names one.
        var optimizerOptions = OptimizerFactory.Registry.Options(config.Train.Optimizer, "train.optimizer");
        if (optimizerOptions.BackboneLrScale != 1 && optimizerOptions.Head is null)
        {
            optimizerOptions = optimizerOptions with { Head = prepared.HeadPattern };
            config = config with { Train = config.Train with { Optimizer = config.Train.Optimizer with { Options = optimizerOptions } } };
        }
        var optimizer = OptimizerFactory.Create(optimizerOptions, model.named_parameters());
        if (optimizer.Groups.Count > 1)
            log("parameter groups: " + string.Join("; ",
                optimizer.Groups.Select(g
                => $"{g.Name} {g.Parameters.Count} tensors, lr x{g.LrScale:0.###}, weight decay {g.WeightDecay:0.####}")));

        if (resumeFrom is null)
        {
            AtomicFile.WriteAllText(run.Config, ConfigLoader.ToYaml(config));
            AtomicFile.WriteAllLines(run.Classes, data.Classes);
            // An idx file's hold-out is re-derived from the config (its images have no files for split.csv to list).
            if (data.Holdout is { } h && SplitFile.CanList(h.Source)) Splits.WriteCsv(run.Split, h.Source, h.Train, h.Val);
            if (data.Skipped.Count > 0)
                AtomicFile.WriteAllLines(run.Skipped, ["input,problem", .. data.Skipped.Select(s => Csv.Line([s.Where, s.Problem]))]);
        }
        else if (!run.ReadClasses().SequenceEqual(data.Classes))
            throw new PodiumException($"{run.Classes}: the run's classes differ from its data's now ({string.Join(", ", data.Classes)}); " +
                $"it cannot be resumed");
        log($"data: {data.Train.Count} train / {data.Val.Count} val {(data.Train is Ocr.LineDataset ? "lines" : "images")} " +
            $"({data.Description})" +
            (data.Classes.Count > 1 ? $", {data.Classes.Count} classes" : "") + $"; run: {run.Root}");
        if (config.Train.BatchSize > data.Train.Count)
            log($"train.batch_size {config.Train.BatchSize} is more than the {data.Train.Count} training images: an epoch is one " +
                $"batch of {data.Train.Count}" +
                (config.Train.DropLast ? " (train.drop_last keeps it: dropping it would leave no step)" : ""));

        var state = new TrainerState
        {
            Config = config,
            Model = model,
            Optimizer = optimizer,
            Classes = data.Classes,
            Epochs = config.Train.Epochs,
            StepsPerEpoch = prepared.StepsPerEpoch,
            Accumulate = config.Train.Accumulate,
            Schedule = LrSchedule.Create(config.Train.Scheduler, optimizerOptions.Lr,
                (long)config.Train.Epochs * ((prepared.StepsPerEpoch + config.Train.Accumulate - 1) / config.Train.Accumulate),
                (prepared.StepsPerEpoch + config.Train.Accumulate - 1) / config.Train.Accumulate),
        };
        using var cores = new CoreShareCallback();
        using var ema = config.Train.Ema.Decay is { } decay ? new ModelEma(model, decay, config.Train.Ema.Warmup) : null;
        using var precision = Precision(config, model, prepared.CreateModel, device, log);
        using var tensorBoard = options.Tracking && config.Tracking.Tensorboard ? new TensorBoardLogger() : null;
        IRunLogger[] tracking = [.. new IRunLogger?[] { store, tensorBoard }.OfType<IRunLogger>()];
        var loggers = new RunLoggers(config.Name ?? Path.GetFileName(run.Root), run.Root, [new CsvLogger(run), .. options.Loggers,
            .. tracking],
            FlatConfig.Of(config), RunEnvironment(device));
        List<ITrainerCallback> callbacks = [cores, new ResumeCheckpoint(run, resumeFrom, log)];
        if (config.Model.Freeze == "backbone") callbacks.Add(new FreezeSchedule(config.Model,
            optimizerOptions.Head ?? prepared.HeadPattern, log));
        if (config.Train.EarlyStopping.Patience is { } patience) callbacks.Add(new EarlyStopping(patience,
            config.Train.EarlyStopping.MinDelta));
        if (ema is not null) callbacks.Add(ema);
        if (!precision.IsPlain) callbacks.Add(precision); // after EMA: it copies the weights EMA swapped in for validation
        callbacks.AddRange([new CheckpointSaver(run), new CurvePlotter(run, loggers), new SummaryWriter(run, Facts(device, data)),
            .. prepared.Callbacks(run, log), .. options.Callbacks, loggers]);

        var trainer = new Trainer(state, device, callbacks);
        try { prepared.Fit(trainer, device, log); }
        catch (Exception e) when (OutOfMemory.Is(e))
        {
            var (t, d) = (config.Train, config.Data);
            var explained = new PodiumException(OutOfMemory.Explain(e, $"while training ({run.Root})",
                $"train.batch_size (now {t.BatchSize}; train.accumulate keeps the effective batch) or data.img_size (now " +
                $"{d.ImgSize}); data.cache_mb ({d.CacheMb}) and data.workers ({d.Workers}) hold memory too"));
            loggers.Fail(explained.Message);
            throw explained;
        }
        catch (Exception e)
        {
            loggers.Fail(e.Message);
            throw;
        }
        if (state.StopReason is not null) log(state.StopReason);

        // The final evaluation describes the best checkpoint, not the last epoch.
        model.load(run.ModelCheckpoint());
        var outcome = prepared.Finish(run, model, device, log);
        RunReport.Write(run);
        loggers.Results("evaluation", outcome.Figures);
        return new TrainOutcome(run, state.BestEpoch, state.BestRecord, state.StopReason, outcome);
    }

    /// <summary>train.precision and train.channels_last for this model, saying what runs where.</summary>
    public static MixedPrecision Precision(PodiumConfig config, nn.Module<Tensor, Tensor> model, Func<nn.Module<Tensor, Tensor>> build,
        Device device, Action<string> log)
    {
        var dtype = MixedPrecision.Parse(config.Train.Precision);
        if (dtype == ScalarType.Float16 && device.type == DeviceType.CPU)
            log("train.precision: fp16 on CPU runs slowly (no fp16 arithmetic); bf16 is the CPU's fast 16-bit type");
        if (dtype == ScalarType.BFloat16 && device.type == DeviceType.CPU && !CpuFeatures.HasNativeBFloat16())
            log("train.precision: this CPU has no native bf16 (AVX512-BF16 or AMX); bf16 may run slower than fp32");
        var precision = new MixedPrecision(model, build, dtype, config.Train.ChannelsLast, device);
        if (!precision.IsPlain)
            log($"compute: {config.Train.Precision}{(config.Train.ChannelsLast ? ", channels-last" : "")}" +
                (dtype == ScalarType.Float32 ? "" : " copy of the model (norm layers fp32), fp32 master weights")
                    + (dtype == ScalarType.Float16 ? ", dynamic loss scale" : ""));
        return precision;
    }

    /// <summary>What summary.json records about where and on what the run trained.</summary>
    private static Dictionary<string, object> Facts(Device device, TaskData data) => new()
    {
        ["environment"] = RunEnvironment(device),
        ["data"] = new Dictionary<string, object>
        {
            ["train_images"] = data.Train.Count,
            ["val_images"] = data.Val.Count,
            ["skipped_inputs"] = data.Skipped.Count,
        },
    };

    /// <summary>Where the run trains: versions, CPU, device and threads.</summary>
    private static Dictionary<string, object> RunEnvironment(Device device) => new()
    {
        ["podium"] = typeof(TrainingPipeline).Assembly.GetName().Version?.ToString() ?? "",
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["os"] = RuntimeInformation.OSDescription,
        ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString() ?? "",
        ["libtorch"] = __version__,
        ["cpu"] = CpuFeatures.Field("model name") ?? "",
        ["device"] = device.type.ToString().ToLowerInvariant(),
        ["cores"] = CoreShare.Cores,
        ["torch_threads"] = get_num_threads(),
    };
}
