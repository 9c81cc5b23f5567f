using System.Text.Json;
using Podium.Config;
using Podium.Data;
using Podium.Models;
using Podium.Platform;
using Podium.Tracking;
using Podium.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Evaluation;

/// <summary>Metrics of a run's model on labelled data, as printed and saved in evaluation.json.</summary>
public sealed record EvaluationResult(string Data, int Count, double Accuracy, double F1Macro, double LogLoss,
    IReadOnlyList<ClassScore> PerClass, int[][] Confusion, IReadOnlyList<string> Classes, IReadOnlyDictionary<string, double> Metrics);

/// <summary>A trained run's model, rebuilt from its config and best checkpoint.</summary>
public sealed class RunModel
{
    public required RunDirectory Run { get; init; }
    public required PodiumConfig Config { get; init; }
    public required string[] Classes { get; init; }
    public required nn.Module<Tensor, Tensor> Model { get; init; }
    public required Device Device { get; init; }

    public static RunModel Load(string runPath, string? deviceOverride = null)
    {
        var run = RunDirectory.Open(runPath);
        var config = ConfigLoader.Load(run.Config);
        if (deviceOverride is not null) config.Device = deviceOverride;
        TorchRuntime.Configure(config.Train.Threads);
        var device = DeviceSelector.Resolve(config.Device);
        var classes = run.ReadClasses();
        var checkpoint = File.Exists(run.BestCheckpoint) ? run.BestCheckpoint : run.LastCheckpoint;
        if (!File.Exists(checkpoint)) throw new PodiumException($"{run.Checkpoints}: no checkpoint (best.pt or last.pt); did training finish an epoch?");
        var model = ModelRegistry.Create(config.Model.Name, classes.Length, config.Data.Channels, config.Model.Head, ModelOptions.From(config));
        model.load(checkpoint);
        model.to(device);
        return new RunModel { Run = run, Config = config, Classes = classes, Model = model, Device = device };
    }
}

public static class RunEvaluator
{
    /// <summary>Evaluates a saved run on <paramref name="dataPath"/>, or on its own validation split when null.</summary>
    public static EvaluationResult Evaluate(string runPath, string? dataPath, string? device, Action<string> log)
    {
        var rm = RunModel.Load(runPath, device);
        ImageDataset data;
        Augment.Pipeline pipeline;
        string label;
        if (dataPath is null)
        {
            var setup = DataSetup.Prepare(rm.Config);
            (data, pipeline, label) = (setup.Val, setup.ValPipeline, "validation split");
        }
        else
        {
            var load = DatasetReader.Open(dataPath, rm.Classes);
            if (load.Skipped.Count > 0) log($"skipped {load.Skipped.Count} inputs of {dataPath}: {load.SkipSummary()}");
            data = DataSetup.Preprocess(load.Enforce(rm.Config.Data.OnBadInput), rm.Config.Data);
            pipeline = DataSetup.BuildPipeline(rm.Config, rm.Config.Augment.Val, "augment.val");
            label = dataPath;
        }
        return Evaluate(rm.Run, rm.Model, DataSetup.EvalLoader(data, pipeline, rm.Config), rm.Device, label);
    }

    public static EvaluationResult Evaluate(RunDirectory run, nn.Module<Tensor, Tensor> model, BatchLoader loader, Device device, string label)
    {
        // Every metric Podium knows (top-k only where there are more classes than k).
        int k = loader.Data.Classes.Count;
        var names = Metrics.Names.Keys.Where(n => !n.StartsWith("top", StringComparison.Ordinal) || k > n[3] - '0').ToList();
        var v = Trainer.Validate(model, loader, device, k, names);
        var m = v.Metrics;
        var confusion = Enumerable.Range(0, k).Select(r => Enumerable.Range(0, k).Select(c => m.Confusion[r, c]).ToArray()).ToArray();
        var result = new EvaluationResult(label, m.Count, m.Accuracy, m.F1Macro, v.Loss, m.PerClass, confusion, loader.Data.Classes, v.Named);
        AtomicFile.WriteAllText(run.Evaluation, JsonSerializer.Serialize(result, SummaryWriter.Json));
        Plots.ConfusionMatrix(m.Confusion, loader.Data.Classes, run.ConfusionPlot);
        ErrorAnalysis.Write(run, loader.Data, v.Predictions, v.Predictions.Indices.Select(loader.Data.Label).ToArray());
        return result;
    }
}
