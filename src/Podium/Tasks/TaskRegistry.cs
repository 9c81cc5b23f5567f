using System.Reflection;
using Podium.Config;

namespace Podium.Tasks;

/// <summary>Every registered task by name (classes with <see cref="TaskAttribute"/>, found once), and which one a config asks
/// for.</summary>
public static class TaskRegistry
{
    private static readonly Lazy<Dictionary<string, ITask>> Tasks = new(() => typeof(TaskRegistry).Assembly.GetTypes()
        .Select(t => (Type: t, Attribute: t.GetCustomAttribute<TaskAttribute>()))
        .Where(t => t.Attribute is not null)
        .ToDictionary(t => t.Attribute!.Name, t => (ITask)Activator.CreateInstance(t.Type)!));

    public static IReadOnlyCollection<string> Names => Tasks.Value.Keys;

    public static ITask Get(string name) => Tasks.Value.TryGetValue(name, out var task) ? task
        : throw new ConfigException($"task: unknown task '{name}'{ConfigLoader.KnownHint(name, Names.Order())}");

    /// <summary>The config's task: <c>task:</c> when given, else text_recognition for a config with a rec section, text_detection
    /// for one with an ocr section, self_supervised for one with an ssl section, anomaly for one with an anomaly section,
    /// multi_label for data.multi_label, classification otherwise.</summary>
    public static string NameFor(PodiumConfig config) => config.Task ?? (config.Rec is not null ? "text_recognition"
        : config.Ocr is not null ? "text_detection" : config.Ssl is not null ? "self_supervised"
        : config.Anomaly is not null ? "anomaly" : config.Data.MultiLabel ? "multi_label" : "classification");
}
