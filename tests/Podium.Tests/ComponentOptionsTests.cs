using System.Globalization;
using Podium.Config;
using Podium.Data;
using Podium.Training;

namespace Podium.Tests;

/// <summary>
/// Every component chosen by name in a config (losses, optimizers, schedulers, samplers, heads, models): the config's defaults are the C#
/// record's, every stated rule fails the same way from YAML and from C#, keys of other components are refused, and the resolved
/// config written to a run folder reads back to the same options.
/// </summary>
public class ComponentOptionsTests
{
    public static TheoryData<string, string> Components()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Losses.Registry.Names) data.Add("loss", name);
        foreach (var name in OptimizerFactory.Registry.Names) data.Add("optimizer", name);
        foreach (var name in LrSchedule.Registry.Names) data.Add("scheduler", name);
        foreach (var name in Samplers.Registry.Names) data.Add("sampler", name);
        foreach (var name in Podium.Models.Heads.Registry.Names) data.Add("head", name);
        foreach (var name in Podium.Models.ModelRegistry.Names) data.Add("model", name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Components))]
    public void ConfigDefaultsEqualTheCSharpRecordAndSurviveTheSavedConfig(string kind, string name)
    {
        var resolved = Resolve($"{kind}: {{name: {name}{Required(name)}}}");
        var bound = Section(resolved, kind).Options!;
        var expected = WithRequired(Activator.CreateInstance(OptionsType(kind, name))!);
        Assert.Equal(Describe(expected), Describe(bound));
        var again = Runs.ConfigResolver.Resolve(ConfigLoader.Parse(ConfigLoader.ToYaml(resolved), "config.yaml"));
        Assert.Equal(Describe(bound), Describe(Section(again, kind).Options!));
    }

    [Theory]
    [MemberData(nameof(Components))]
    public void EveryRuleFailsTheSameWayFromConfigAndFromCSharp(string kind, string name)
    {
        var type = OptionsType(kind, name);
        foreach (var option in OptionRules.Properties(type))
        {
            var number = Nullable.GetUnderlyingType(option.Type) ?? option.Type;
            if (number != typeof(double) && number != typeof(int) && number != typeof(long)) continue;
            var bad = option.Rules.SelectMany(r => new[] { -1e6, -1.5, -1, 0, 0.5, 1, 1.5, 101 }.Where(v => r.Problem(v) is not null));
            foreach (var v in bad.Distinct().Where(v => number == typeof(double) || v == Math.Floor(v)))
            {
                string text = v.ToString(CultureInfo.InvariantCulture);
                var item = $"{kind}: {{name: {name}, {option.Key}: {text}{Required(name)}}}";
                var yamlError = Assert.Throws<ConfigException>(() => Resolve(item));
                var record = WithRequired(Activator.CreateInstance(type)!);
                option.Property.SetValue(record, Convert.ChangeType(v, number, CultureInfo.InvariantCulture));
                var csharpError = Assert.Throws<ConfigException>(() => OptionRules.Check((ComponentOptions)record));
                Assert.Equal($"c.yaml: {Key(kind)}: {csharpError.Message}", yamlError.Message);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Components))]
    public void KeysOfOtherComponentsOfTheKindAreRefused(string kind, string name)
    {
        var own = OptionRules.Properties(OptionsType(kind, name)).Select(p => p.Key).ToHashSet();
        var names = kind switch
        {
            "loss" => Losses.Registry.Names,
            "optimizer" => OptimizerFactory.Registry.Names,
            "scheduler" => LrSchedule.Registry.Names,
            "sampler" => Samplers.Registry.Names,
            "model" => Podium.Models.ModelRegistry.Names,
            _ => Podium.Models.Heads.Registry.Names,
        };
        var foreign = names.SelectMany(n => OptionRules.Properties(OptionsType(kind, n)).Select(p => p.Key)).Where(k => !own.Contains(k))
            .Distinct().ToList();
        foreach (var key in foreign)
        {
            var e = Assert.Throws<ConfigException>(() => Resolve($"{kind}: {{name: {name}, {key}: 1{Required(name)}}}"));
            // A model's keys of Podium's own families say where they apply; the onnx family's are unknown to the others.
            Assert.StartsWith(kind != "model" ? $"c.yaml: {Key(kind)}: unknown parameter '{key}'"
                : key is "drop_path" or "drop_rate" ? $"c.yaml: model.{key}: applies to Podium's own backbones"
                : $"c.yaml: model: unknown key '{key}'", e.Message);
        }
    }

    /// <summary>A config with one section (<c>KIND: {...}</c>) where its kind lives; the margin losses need the cosine head, which
    /// every other component is indifferent to.</summary>
    private static PodiumConfig Resolve(string section)
    {
        var yaml = section.StartsWith("head:", StringComparison.Ordinal)
            ? $"data: {{train: x}}\nmodel: {{{section}}}\n"
            : section.StartsWith("model:", StringComparison.Ordinal) ? $"data: {{train: x}}\n{section}\n"
            : $"data: {{train: x}}\nmodel: {{head: {{type: cosine}}}}\ntrain: {{{section}}}\n";
        return Runs.ConfigResolver.Resolve(ConfigLoader.Parse(yaml, "c.yaml"), "c.yaml");
    }

    private static string Key(string kind) => kind switch { "head" => "model.head", "model" => "model", _ => $"train.{kind}" };

    private static ComponentConfig Section(PodiumConfig c, string kind) => kind switch
    {
        "loss" => c.Train.Loss,
        "optimizer" => c.Train.Optimizer,
        "scheduler" => c.Train.Scheduler,
        "sampler" => c.Train.Sampler,
        "model" => new ComponentConfig(c.Model.Name) { Options = c.Model.Options },
        _ => c.Model.Head!,
    };

    private static Type OptionsType(string kind, string name) => kind switch
    {
        "loss" => Losses.Registry.OptionsType(name, kind),
        "optimizer" => OptimizerFactory.Registry.OptionsType(name, kind),
        "scheduler" => LrSchedule.Registry.OptionsType(name, kind),
        "sampler" => Samplers.Registry.OptionsType(name, kind),
        "model" => Podium.Models.ModelRegistry.Registry.OptionsType(name, kind),
        _ => Podium.Models.Heads.Registry.OptionsType(name, kind),
    };

    /// <summary>What a component cannot do without (a sum's terms), in YAML after a comma, and the same in C#.</summary>
    private static string Required(string name) => name == "sum" ? ", terms: [soft_f1]" : "";

    private static object WithRequired(object options) => options is WeightedSum.Options sum
        ? sum with { Terms = [Losses.Registry.Bind(new ComponentConfig("soft_f1"), "t")] }
        : options;

    /// <summary>Key = value lines: what a config sees of the options (the plateau's metric and mode are filled at resolve).</summary>
    private static string Describe(object options) => string.Join("\n", OptionRules.Properties(options.GetType())
        .Where(o => !(options is ReduceOnPlateau.Options && o.Key is "metric" or "mode"))
        .Select(o => $"{o.Key} = " + (o.Property.GetValue(options) switch
        {
            IEnumerable<ComponentConfig> terms => string.Join("; ", terms.Select(t => $"{t.Name}{{{Describe(t.Options!)}}}")),
            System.Collections.IEnumerable list and not string => string.Join(", ", list.Cast<object>()),
            var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "null",
        })));
}
