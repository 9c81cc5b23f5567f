using Podium.Config;
using Podium.Tasks;

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
        config.Task ??= TaskRegistry.NameFor(config);
        var task = TaskRegistry.Get(config.Task);
        config = task.Resolve(config, source);
        void Fail(string key, string problem) => throw new ConfigException($"{source}: {key}: {problem}");
        void OneOf(string key, string value, IEnumerable<string> allowed)
        {
            var known = allowed.ToList();
            if (known.Contains(value)) return;
            var hint = ConfigLoader.Suggest(value, known);
            Fail(key, $"unknown value '{value}' ({(hint is null ? "" : $"did you mean '{hint}'? ")}one of: {string.Join(", ", known)})");
        }

        // The saved config must work from any directory: evaluate and predict re-read it.
        var d = config.Data;
        if (d.Train.Length > 0) d.Train = Path.GetFullPath(d.Train);
        if (d.Split is not null) d.Split = Path.GetFullPath(d.Split);
        if (d.Val is not null) d.Val = Path.GetFullPath(d.Val);
        if (d.Stats is not null) d.Stats = Path.GetFullPath(d.Stats);
        if (config.Model.Pretrained is { } p && !p.StartsWith(Models.HubDownload.Prefix, StringComparison.Ordinal)) config.Model.Pretrained = Path.GetFullPath(p);

        var t = config.Train;
        var known = task.KnownMetrics(config).Select(m => m.Name).ToList();
        OneOf("train.metric", t.Metric, known);
        for (int i = 0; i < t.Metrics.Count; i++) OneOf($"train.metrics[{i}]", t.Metrics[i], known);
        var columns = task.Metrics(config);
        // val_log_loss is classification's val_loss under the metric's own name.
        if (t.Monitor == "val_log_loss" && columns.Any(c => c.Column == "val_loss") && columns.All(c => c.Column != "val_log_loss")) t.Monitor = "val_loss";
        t.Monitor ??= columns.Any(c => c.Column == "val_" + t.Metric) ? "val_" + t.Metric : "val_loss";
        var monitorable = new[] { "train_loss" }.Concat(columns.Select(c => c.Column)).ToList();
        OneOf("train.monitor", t.Monitor, monitorable);
        bool Higher(string column) => column != "train_loss" && columns.Single(c => c.Column == column).HigherIsBetter;

        // A plateau schedule watches train.monitor unless told otherwise, minimising losses and maximising the rest.
        var s = t.Scheduler;
        if (s.Metric is not null) OneOf("train.scheduler.metric", s.Metric, monitorable);
        s.Metric ??= s.Name == "plateau" ? t.Monitor : null;
        s.Mode ??= s.Metric is null ? null : Higher(s.Metric) ? "max" : "min";
        return config;
    }
}
