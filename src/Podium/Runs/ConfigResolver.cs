using Podium.Config;
using Podium.Data;
using Podium.Models;
using Podium.Tasks;
using Podium.Training;

namespace Podium.Runs;

/// <summary>
/// The one step that fills a config's computed defaults before a run uses and saves it: the task, the task's own
/// defaults and refusals, data paths made absolute, the monitored column and its direction, a plateau schedule's
/// metric and mode, the head a backbone learning-rate scale leaves alone. Names a task cannot report are refused with
/// the key. What needs the data (data.normalize: auto) is settled when the task prepares it.
/// </summary>
public static class ConfigResolver
{
    public static PodiumConfig Resolve(PodiumConfig config, string source = "config")
    {
        var name = TaskRegistry.NameFor(config);
        var task = TaskRegistry.Get(name);
        config = task.Resolve(config with { Task = name }, source);
        void Fail(string key, string problem) => throw new ConfigException($"{source}: {key}: {problem}");
        void OneOf(string key, string value, IEnumerable<string> allowed)
        {
            var known = allowed.ToList();
            if (!known.Contains(value)) Fail(key, $"unknown value '{value}' {ConfigLoader.OneOfHint(value, known)}");
        }

        // The saved config must work from any directory: evaluate and predict re-read it.
        static string? Full(string? path) => string.IsNullOrEmpty(path) ? path : Path.GetFullPath(path);
        var d = config.Data;
        config = config with
        {
            Data = d with { Train = Full(d.Train)!, Split = Full(d.Split), Val = Full(d.Val), Stats = Full(d.Stats) },
            Model = config.Model with
            {
                Pretrained = ModelConfig.AnchorPretrained(config.Model.Pretrained, Environment.CurrentDirectory),
                // The onnx family's file is a path or a weights name, as model.pretrained is.
                Parameters = config.Model.Parameters.ToDictionary(p => p.Key, p => p.Key == "file" && p.Value is string file
                    ? ModelConfig.AnchorPretrained(file, Environment.CurrentDirectory) : p.Value),
            },
        };
        // Named weights bring the input their network expects, unless the config chose its own statistics.
        if ((config.Model.Pretrained ?? config.Model.Parameters.GetValueOrDefault("file") as string) is { } named
            && Models.Weights.WeightsCatalog.Find(named) is { } w
            && config.Data.Normalize is null && config.Data.Mean.SequenceEqual(new DataConfig().Mean)
            && config.Data.Std.SequenceEqual(new DataConfig().Std))
            config = config with { Data = config.Data with { Mean = w.Mean, Std = w.Std } };

        Components(config, OneOf);
        // Components chosen by name get their options bound: unknown keys refused, rules checked, every default written.
        var read = config;
        ComponentConfig Bound<T>(ComponentRegistry<T> registry, ComponentConfig section, string key) where T : ComponentOptions
        {
            try { return registry.Bind(section, key); }
            catch (ConfigException e) { throw new ConfigException($"{ConfigLoader.Origin(read, key, source)}: {e.Message}", e); }
        }
        config = config with
        {
            Train = config.Train with
            {
                Loss = Bound(Losses.Registry, config.Train.Loss, "train.loss"),
                Optimizer = Bound(OptimizerFactory.Registry, config.Train.Optimizer, "train.optimizer"),
                Scheduler = Bound(LrSchedule.Registry, config.Train.Scheduler, "train.scheduler"),
                Sampler = Bound(Samplers.Registry, config.Train.Sampler, "train.sampler"),
            },
            Model = config.Model.Head is { } head ? config.Model with { Head = Bound(Heads.Registry, head, "model.head") } : config.Model,
        };
        try { config = config with { Model = ModelRegistry.Bind(config.Model) }; }
        catch (ConfigException e) { throw new ConfigException($"{ConfigLoader.Origin(read, "model", source)}: {e.Message}", e); }
        var t = config.Train;
        var known = task.KnownMetrics(config).Select(m => m.Name).ToList();
        OneOf("train.metric", t.Metric, known);
        for (int i = 0; i < t.Metrics.Count; i++) OneOf($"train.metrics[{i}]", t.Metrics[i], known);
        var columns = task.Metrics(config);
        // val_log_loss is classification's val_loss under the metric's own name.
        var monitor = t.Monitor == "val_log_loss" && columns.Any(c => c.Column == "val_loss") && columns.All(c
            => c.Column != "val_log_loss") ? "val_loss"
            : t.Monitor ?? (columns.Any(c => c.Column == "val_" + t.Metric) ? "val_" + t.Metric : "val_loss");
        var monitorable = new[] { "train_loss" }.Concat(columns.Select(c => c.Column)).ToList();
        OneOf("train.monitor", monitor, monitorable);
        bool Higher(string column) => column != "train_loss" && columns.Single(c => c.Column == column).HigherIsBetter;

        // A plateau schedule watches train.monitor unless told otherwise, minimising losses and maximising the rest.
        var scheduler = t.Scheduler;
        if (scheduler.Options is ReduceOnPlateau.Options s)
        {
            if (s.Metric is not null) OneOf("train.scheduler.metric", s.Metric, monitorable);
            var metric = s.Metric ?? monitor;
            scheduler = scheduler with { Options = s with { Metric = metric, Mode = s.Mode ?? (Higher(metric) ? "max" : "min") } };
        }
        return config with { Train = t with { Monitor = monitor, Scheduler = scheduler } };
    }

    /// <summary>What a text-detection config may name (its necks, the backbones DBNet can take); the registries check the
    /// rest.</summary>
    private static void Components(PodiumConfig c, Action<string, string, IEnumerable<string>> oneOf)
    {
        if (c.Ocr is { } o)
        {
            oneOf("ocr.neck", o.Neck, DbNecks.Names);
            oneOf("model.name", c.Model.Name, FeaturePyramid.Backbones);
        }
    }
}
