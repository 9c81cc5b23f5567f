using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Podium.Tuning;

/// <summary>
/// What <c>podium tune</c> searches: config keys and their distributions, from YAML.
/// <code>
/// train.optimizer.lr: {float: [1.0e-4, 1.0e-2], log: true}
/// train.batch_size: {int: [16, 64], step: 16}
/// train.optimizer.name: {choice: [sgd, adamw]}
/// train.optimizer.momentum: {float: [0.8, 0.99], when: {train.optimizer.name: sgd}}
/// augment.train: {choice: [[horizontal_flip], [horizontal_flip, {color_jitter: {brightness: 0.3}}]]}
/// </code>
/// A parameter with <c>when</c> exists only while the categorical parameters it names hold one of the given values. Every
/// mistake is one line naming the file, the key and the problem.
/// </summary>
public sealed class SearchSpace
{
    private SearchSpace(IReadOnlyList<SearchParameter> parameters) => Parameters = parameters;

    /// <summary>The parameters, each after the ones its condition names.</summary>
    public IReadOnlyList<SearchParameter> Parameters { get; }

    public static SearchSpace Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigException($"{path}: no such search space file");
        return Parse(File.ReadAllText(path), path);
    }

    public static SearchSpace Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new ConfigException($"{source}: line {e.Start.Line}: {e.Message}"); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode { Children.Count: > 0 } root)
            throw new ConfigException($"{source}: the search space is empty (expected KEY: {{float: [LOW, HIGH]}}, {{int: ...}} or " +
                "{choice: [...]} lines)");
        var parsed = root.Children.Select(p => Parameter(Scalar(p.Key, source, "a key"), p.Value, source)).ToList();
        var byKey = new Dictionary<string, SearchParameter>(StringComparer.Ordinal);
        foreach (var p in parsed)
            if (!byKey.TryAdd(p.Key, p)) throw new ConfigException($"{source}: {p.Key}: searched twice");
        foreach (var p in parsed)
            foreach (var (key, values) in p.When)
            {
                if (key == p.Key) throw new ConfigException($"{source}: {p.Key}: when names the parameter itself");
                if (!byKey.TryGetValue(key, out var other) || other is not CategoricalParameter c)
                    throw new ConfigException($"{source}: {p.Key}: when names {key}, which is not a searched choice");
                if (values.FirstOrDefault(v => !c.Choices.Contains(v)) is { } bad)
                    throw new ConfigException($"{source}: {p.Key}: when {key} is {bad}, which is not one of its choices " +
                        $"({string.Join(", ", c.Choices)})");
            }
        return new SearchSpace(Order(parsed, byKey, source));
    }

    // Conditions first: a parameter comes after those its condition names; a cycle is a contradiction.
    private static List<SearchParameter> Order(List<SearchParameter> parsed, Dictionary<string, SearchParameter> byKey, string source)
    {
        var ordered = new List<SearchParameter>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        void Visit(SearchParameter p)
        {
            if (state.GetValueOrDefault(p.Key) == 2) return;
            if (state.GetValueOrDefault(p.Key) == 1)
                throw new ConfigException($"{source}: {p.Key}: its when conditions form a cycle; no value can satisfy them");
            state[p.Key] = 1;
            foreach (var key in p.When.Keys) Visit(byKey[key]);
            state[p.Key] = 2;
            ordered.Add(p);
        }
        parsed.ForEach(Visit);
        return ordered;
    }

    private static SearchParameter Parameter(string key, YamlNode node, string source)
    {
        ConfigException Bad(string problem) => new($"{source}: {key}: {problem}");
        if (node is not YamlMappingNode map)
            throw Bad("expected {float: [LOW, HIGH]}, {int: [LOW, HIGH]} or {choice: [A, B, ...]}");
        var fields = map.Children.ToDictionary(p => Scalar(p.Key, source, "a field"), p => p.Value, StringComparer.Ordinal);
        var kinds = fields.Keys.Where(k => k is "float" or "int" or "choice").ToList();
        if (kinds.Count != 1)
            throw Bad(kinds.Count == 0 ? "expected one of float, int or choice" : $"give one of {string.Join(", ", kinds)}, not both");
        var allowed = kinds[0] switch { "choice" => new[] { "choice", "when" }, _ => [kinds[0], "log", "step", "when"] };
        if (fields.Keys.FirstOrDefault(k => !allowed.Contains(k)) is { } unknown)
            throw Bad($"unknown field '{unknown}' (known: {string.Join(", ", allowed)})");
        var when = fields.TryGetValue("when", out var w) ? Conditions(w, key, source) : new Dictionary<string, IReadOnlyList<string>>();
        bool log = fields.TryGetValue("log", out var l) && Bool(l, key, source, "log");
        switch (kinds[0])
        {
            case "choice":
                if (fields["choice"] is not YamlSequenceNode { Children.Count: > 0 } choices)
                    throw Bad("choice: expected a list of values");
                var texts = choices.Children.Select(Text).ToList();
                if (texts.Distinct().Count() != texts.Count) throw Bad("choice: a value is listed twice");
                if (texts.Count == 1) throw Bad("choice: one value is nothing to search; set it in the config");
                return new CategoricalParameter(key, texts, when);
            case "float":
                var (low, high) = Range(fields["float"], key, source, "float");
                double? step = fields.TryGetValue("step", out var s) ? Number(s, key, source, "step") : null;
                Check(low, high, log, step, Bad);
                return new FloatParameter(key, low, high, log, step, when);
            default:
                var (ilow, ihigh) = Range(fields["int"], key, source, "int");
                if (ilow != Math.Round(ilow) || ihigh != Math.Round(ihigh)) throw Bad("int: LOW and HIGH must be whole numbers");
                var istep = fields.TryGetValue("step", out var t) ? Number(t, key, source, "step") : 1;
                if (istep != Math.Round(istep)) throw Bad($"step {istep}: a whole number");
                Check(ilow, ihigh, log, fields.ContainsKey("step") ? istep : null, Bad);
                return new IntParameter(key, (long)ilow, (long)ihigh, log, (long)istep, when);
        }
    }

    private static void Check(double low, double high, bool log, double? step, Func<string, ConfigException> bad)
    {
        if (!(low < high)) throw bad($"LOW {low} must be below HIGH {high}");
        if (log && low <= 0) throw bad($"log: LOW {low} must be above 0");
        if (log && step is not null) throw bad("log and step cannot go together");
        // The range is a decimal's difference: 0.9 - 0.8 is a hair under 0.1.
        if (step is { } s && (s <= 0 || s > (high - low) * (1 + 1e-9))) throw bad($"step {s}: between 0 and HIGH - LOW ({high - low})");
    }

    private static Dictionary<string, IReadOnlyList<string>> Conditions(YamlNode node, string key, string source)
    {
        if (node is not YamlMappingNode { Children.Count: > 0 } map)
            throw new ConfigException($"{source}: {key}: when: expected {{OTHER.KEY: VALUE}} or {{OTHER.KEY: [VALUES]}}");
        return map.Children.ToDictionary(p => Scalar(p.Key, source, "a when key"),
            p => (IReadOnlyList<string>)(p.Value is YamlSequenceNode list ? [.. list.Children.Select(Text)] : [Text(p.Value)]),
            StringComparer.Ordinal);
    }

    private static (double, double) Range(YamlNode node, string key, string source, string kind) =>
        node is YamlSequenceNode { Children.Count: 2 } pair
            ? (Number(pair.Children[0], key, source, kind), Number(pair.Children[1], key, source, kind))
            : throw new ConfigException($"{source}: {key}: {kind}: expected [LOW, HIGH]");

    private static double Number(YamlNode node, string key, string source, string field) =>
        node is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && double.IsFinite(d) ? d : throw new ConfigException($"{source}: {key}: {field}: '{Text(node)}' is not a number");

    private static bool Bool(YamlNode node, string key, string source, string field) =>
        node is YamlScalarNode { Value: "true" or "false" } s
        ? s.Value == "true" : throw new ConfigException($"{source}: {key}: {field}: expected true or false");

    private static string Scalar(YamlNode node, string source, string what) => node is YamlScalarNode { Value: { Length: > 0 } v } ? v
        : throw new ConfigException($"{source}: line {node.Start.Line}: expected {what}, got a block");

    /// <summary>A value as <c>--set</c> takes it: a scalar's text, a block as flow YAML.</summary>
    public static string Text(YamlNode node)
    {
        if (node is YamlScalarNode s) return s.Value ?? "";
        Flow(node);
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        // One document, flow style: drop the end-of-document marker the emitter adds.
        return string.Join(' ', writer.ToString().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l != "...")).Trim();
    }

    private static void Flow(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode m:
                m.Style = YamlDotNet.Core.Events.MappingStyle.Flow;
                foreach (var (_, v) in m.Children) Flow(v);
                break;
            case YamlSequenceNode q:
                q.Style = YamlDotNet.Core.Events.SequenceStyle.Flow;
                foreach (var v in q.Children) Flow(v);
                break;
        }
    }

    /// <summary>A study's draw for new trials: the sampler's values with each parameter's distribution, as the store keeps them.</summary>
    public Tracking.TrialDraw Draw(ISampler sampler) => (trials, number) => sampler.Suggest(this, trials, number) is { } values
        ? [.. Parameters.Where(p => values.ContainsKey(p.Key)).Select(p => (p.Key, values[p.Key], p.Distribution().ToJsonString()))]
        : null;

    /// <summary>The space as JSON (key → Optuna distribution and condition): what a study keeps, so a worker given another space
    /// is refused.</summary>
    public string Fingerprint() => new JsonArray([.. Parameters.Select(p => new JsonObject
    {
        ["key"] = p.Key,
        ["distribution"] = p.Distribution(),
        ["when"] = new JsonObject([.. p.When.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c =>
            KeyValuePair.Create(c.Key, (JsonNode?)new JsonArray([.. c.Value.Select(v => JsonValue.Create(v))])))]),
    })]).ToJsonString();
}
