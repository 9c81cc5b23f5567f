using Podium.Config;
using Podium.Data;
using Podium.Models;
using Podium.Platform;
using Podium.Tracking;
using Podium.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Ocr;

/// <summary>What a finished detection run left behind: the best epoch and its validation scores.</summary>
public sealed record DetectionRunResult(RunDirectory Run, int BestEpoch, DetectionScore Validation, double NetworkMs, double PostProcessMs, int InputHeight, int InputWidth);

/// <summary>
/// <c>podium ocr train</c>: text data → train/validation split → DBNet → the Trainer with <see cref="DetectionTask"/>
/// (the same loop, callbacks, precision and EMA as classification) → the best checkpoint detects the validation
/// images once more for the per-image breakdown and timings.
/// </summary>
public static class DetectionRun
{
    public static DbNet CreateModel(PodiumConfig c) => new(c.Model.Name, c.Ocr!.Neck, c.Ocr.Inner, bnMomentum: c.Ocr.BnMomentum);

    /// <summary>Continues a run from its last complete epoch (checkpoints/resume.json), with the config it was started with.</summary>
    public static DetectionRunResult Resume(string runPath, string? device, Action<string> log)
    {
        var (config, dir) = ResumeCheckpoint.Prepare(runPath, device);
        return Execute(config, runPath, log, resumeFrom: dir);
    }

    public static DetectionRunResult Execute(PodiumConfig config, string runPath, Action<string> log, string? resumeFrom = null)
    {
        var o = config.Ocr ?? throw new PodiumException("ocr train: the config has no ocr section (ocr: {} for DBNet's defaults)");
        foreach (var m in new[] { "precision", "recall" }) if (!config.Train.Metrics.Contains(m)) config.Train.Metrics.Add(m);
        config.Data.Train = Path.GetFullPath(config.Data.Train);
        if (config.Data.Val is not null) config.Data.Val = Path.GetFullPath(config.Data.Val);
        if (config.Data.Split is not null) throw new PodiumException("data.split: text data trains from data.train with data.val or data.val_split");
        TorchRuntime.Configure(config.Train.Threads);
        var device = DeviceSelector.Resolve(config.Device);
        var d = config.Data;

        var (train, val, skipped, description) = Split(config, log);
        if (skipped.Count > 0) log($"skipped {skipped.Count} inputs: {SkippedInput.Summarize(skipped)}");
        var run = RunDirectory.Create(runPath);
        if (resumeFrom is null)
        {
            AtomicFile.WriteAllText(run.Config, ConfigLoader.ToYaml(config));
            AtomicFile.WriteAllLines(run.Classes, ["text"]);
            if (skipped.Count > 0) AtomicFile.WriteAllLines(run.Skipped, ["input,problem", .. skipped.Select(s => Csv.Line([s.Where, s.Problem]))]);
        }
        log($"data: {train.Count} train / {val.Count} val images ({description}); run: {run.Root}");

        var pipeline = DataSetup.BuildPipeline(config, config.Augment.Train, "augment.train");
        var loader = new BatchLoader(train, pipeline, d.Channels, config.Train.BatchSize, shuffle: true, dropLast: config.Train.DropLast,
            d.Workers, d.Prefetch, config.Seed, maps: DetectionTask.Targets(o));
        if (loader.BatchesPerEpoch == 0) throw new PodiumException($"{d.Train}: {train.Count} training images make no full batch of {config.Train.BatchSize}; lower train.batch_size");
        var valLoader = new BatchLoader(val, pipeline, d.Channels, 1, shuffle: false, dropLast: false, 1, 1, config.Seed);

        manual_seed(config.Seed);
        var model = CreateModel(config);
        log($"model DBNet {config.Model.Name} + {o.Neck}: {model.parameters().Sum(p => p.numel()) / 1e6:0.00} M parameters; input {d.ImgSize} px, validation at {o.EvalSize} px (long side)");
        model.to(device);
        var optimizer = OptimizerFactory.Create(config.Train.Optimizer, model.named_parameters());
        var state = new TrainerState
        {
            Config = config, Model = model, Classes = ["text"], Epochs = config.Train.Epochs,
            StepsPerEpoch = loader.BatchesPerEpoch, Accumulate = config.Train.Accumulate,
        };
        var schedule = LrSchedule.Create(config.Train.Scheduler, config.Train.Optimizer.Lr, state.TotalUpdates, state.UpdatesPerEpoch);
        var loss = new DbLoss(new DbLossWeights(o.BceWeight, o.DiceWeight, o.L1Weight, o.NegativeRatio));
        var task = new DetectionTask(loss, o, pipeline.Normalize, d.Channels);
        var facts = new Dictionary<string, object> { ["data"] = new Dictionary<string, object> { ["train_images"] = train.Count, ["val_images"] = val.Count, ["skipped_inputs"] = skipped.Count } };

        using var csv = new CsvLogger(run);
        using var ema = config.Train.Ema.Decay is { } decay ? new ModelEma(model, decay, config.Train.Ema.Warmup) : null;
        var dtype = MixedPrecision.Parse(config.Train.Precision);
        using var precision = new MixedPrecision(model, () => CreateModel(config), dtype, config.Train.ChannelsLast, device);
        ConsoleProgress.Run(progress =>
        {
            List<ITrainerCallback> callbacks = [csv, new CheckpointSaver(run), new CurvePlotter(run), new SummaryWriter(run, facts), progress];
            if (config.Train.EarlyStopping.Patience is { } patience) callbacks.Insert(0, new EarlyStopping(patience, config.Train.EarlyStopping.MinDelta));
            var trainer = new Trainer(state, optimizer, schedule, task, device, callbacks, ema, run, precision.IsPlain ? null : precision);
            if (resumeFrom is not null) trainer.ResumeFrom(resumeFrom, log);
            trainer.Fit(loader, valLoader);
            return 0;
        });
        if (state.StopReason is not null) log(state.StopReason);

        model.load(run.BestCheckpoint);
        var detector = new DbTextDetector(model, pipeline.Normalize, d.Channels, o, device);
        var results = new List<DetectionResult>();
        var score = DetectionTask.Score(detector, val, results.Add);
        WritePerImage(run.ValPerImage, score);
        DetectionGallery.Write(run.ValDetectionsPlot, val, results, score);
        HtmlReport.Write(run);
        var (network, post) = DetectionResult.MedianTimes(results);
        return new DetectionRunResult(run, state.BestEpoch, score, network, post, results.LastOrDefault()?.InputHeight ?? 0, results.LastOrDefault()?.InputWidth ?? 0);
    }

    /// <summary>Training and validation images: data.val, or a seeded hold-out of data.val_split (duplicate groups kept together).</summary>
    private static (ImageDataset Train, ImageDataset Val, List<SkippedInput> Skipped, string Description) Split(PodiumConfig config, Action<string> log)
    {
        var d = config.Data;
        var load = DatasetReader.Open(d.Train, textPoints: d.TextPoints);
        var skipped = new List<SkippedInput>(load.Skipped);
        var all = TextRegionCheck.Fit(load.Enforce(d.OnBadInput), skipped);
        if (all.Polygons(0) is null) throw new PodiumException($"{d.Train}: no text polygons (an ICDAR folder img/ + box/, or a text manifest)");
        if (d.Val is not null)
        {
            var valLoad = DatasetReader.Open(d.Val, textPoints: d.TextPoints);
            skipped.AddRange(valLoad.Skipped);
            return (all, TextRegionCheck.Fit(valLoad.Enforce(d.OnBadInput), skipped), skipped, $"validation data {d.Val}");
        }
        if (d.ValSplit <= 0) throw new ConfigException("data.val_split: is 0 and data.val is not set; give one of them");
        var (trainIdx, valIdx) = Splits.StratifiedGroupHoldout(new int[all.Count], all.Groups(), d.ValSplit, config.Seed);
        return (new DatasetView(all, trainIdx), new DatasetView(all, valIdx), skipped, FormattableString.Invariant($"seeded hold-out of {d.ValSplit * 100:0.#}%, seed {config.Seed}"));
    }

    public static void WritePerImage(string path, DetectionScore score) =>
        AtomicFile.WriteAllLines(path, ["image,truth,detections,matched,truth_dont_care,detections_dont_care,precision,recall,hmean",
            .. score.Images.Select(i => Csv.Line([i.Name, .. new[] { i.GtCare, i.DetCare, i.Matched, i.GtDontCare, i.DetDontCare }.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                .. new[] { i.Precision, i.Recall, i.Hmean }.Select(v => v.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))]))]);
}
