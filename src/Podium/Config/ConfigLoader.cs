using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using static Podium.Platform.Invariant;

namespace Podium.Config;

/// <summary>
/// Reads a YAML config, applies <c>--set key.path=value</c> overrides, and binds it to
/// <see cref="PodiumConfig"/>. Unknown keys and bad values fail here, before any work starts,
/// with one line naming the file, the key and, where it can, the nearest known key.
/// </summary>
public static partial class ConfigLoader
{
    // The config's lists are read-only in its records; YAML fills them as lists.
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .WithTypeMapping<IReadOnlyList<object>, List<object>>()
        .WithTypeMapping<IReadOnlyList<string>, List<string>>()
        .WithTypeMapping<IReadOnlyList<UnfreezeStep>, List<UnfreezeStep>>()
        .WithTypeConverter(new ComponentConfigYaml())
        .WithTypeConverter(new ModelConfigYaml())
        .Build();

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .DisableAliases()
        .WithTypeConverter(new ComponentConfigYaml())
        .WithTypeConverter(new ModelConfigYaml())
        .Build();

    /// <summary>Keys that hold paths. In a config file they are relative to the file's folder, so a config works from
    /// any working directory; given with --set they are relative to the working directory, as any command-line path.</summary>
    public static readonly string[] PathKeys = ["data.train", "data.val", "data.split", "data.stats", "model.pretrained",
        "model.file"];

    public static PodiumConfig Load(string path, IEnumerable<string>? overrides = null)
    {
        if (!File.Exists(path)) throw new ConfigException($"{path}: config file not found");
        return Parse(File.ReadAllText(path), path, overrides, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <param name="baseDirectory">The folder the config's relative paths are relative to (its file's); null: the working
    /// directory.</param>
    public static PodiumConfig Parse(string yaml, string source, IEnumerable<string>? overrides = null, string? baseDirectory = null)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new ConfigException($"{source}:{e.Start.Line}: {FirstLine(e.Message)}", e); }
        var root = stream.Documents.Count == 0 ? new YamlMappingNode() : stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new ConfigException($"{source}: the config must be a mapping of keys to values");
        if (baseDirectory is not null) AnchorPaths(root, Path.GetFullPath(baseDirectory)); // "." works too
        var config = Bind(root, source, null);
        // Overrides one at a time, so a bad one is named: the file's lines mean nothing to a value typed after --set.
        var given = (overrides ?? []).ToList();
        foreach (var o in given)
        {
            ApplyOverride(root, o);
            config = Bind(root, $"--set {o}", o);
        }
        // A problem with an overridden key is the override's; any other is the file's.
        string Where(string key) => given.LastOrDefault(o => Covers(o, key)) is { } o ? $"--set {o}" : source;
        Validate(config, Where);
        return config with { Overrides = given };
    }

    /// <summary>Where a section's values came from: the last <c>--set</c> that sets it or a key inside it, else
    /// <paramref name="source"/> (the file).</summary>
    public static string Origin(PodiumConfig config, string section, string source) => config.Overrides
        .LastOrDefault(o => Covers(o, section) || o.Split('=')[0].Trim().StartsWith(section + ".", StringComparison.Ordinal))
        is { } o ? $"--set {o}" : source;

    private static PodiumConfig Bind(YamlMappingNode root, string where, string? assignment)
    {
        var text = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(text, assignAnchors: false);
        try { return Deserializer.Deserialize<PodiumConfig>(text.ToString()) ?? new PodiumConfig(); }
        catch (YamlException e)
        {
            var why = Explain(e, text.ToString());
            // The merged document's line numbers point nowhere the user wrote.
            if (assignment is not null) why = LinePrefix().Replace(why, "");
            throw new ConfigException($"{where}: {why}", e);
        }
    }

    /// <summary>Whether <c>--set key=value</c> sets <paramref name="key"/> or a section holding it.</summary>
    private static bool Covers(string assignment, string key)
    {
        var set = assignment.Split('=')[0].Trim();
        return key == set || key.StartsWith(set + ".", StringComparison.Ordinal) || key.StartsWith(set + "[", StringComparison.Ordinal);
    }

    /// <summary>The fully resolved config, defaults included, as written to a run's config.yaml.</summary>
    public static string ToYaml(PodiumConfig config) => Serializer.Serialize(config);

    /// <summary>Makes the config's relative paths absolute against <paramref name="baseDirectory"/> (a hub: reference is no
    /// path).</summary>
    private static void AnchorPaths(YamlMappingNode root, string baseDirectory)
    {
        foreach (var key in PathKeys)
        {
            var (section, name) = (key.Split('.')[0], key.Split('.')[1]);
            if (!root.Children.TryGetValue(new YamlScalarNode(section), out var node) || node is not YamlMappingNode mapping) continue;
            if (!mapping.Children.TryGetValue(new YamlScalarNode(name),
                out var value) || value is not YamlScalarNode { Value: { Length: > 0 } path }) continue;
            mapping.Children[new YamlScalarNode(name)] = new YamlScalarNode(key is "model.pretrained" or "model.file"
                ? ModelConfig.AnchorPretrained(path, baseDirectory) : Path.GetFullPath(path, baseDirectory));
        }
    }

    /// <summary>Applies one <c>key.path=value</c>; the value is read as YAML, so lists and maps work.</summary>
    public static void ApplyOverride(YamlMappingNode root, string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ConfigException($"--set {assignment}: expected key.path=value");
        var keys = assignment[..eq].Trim().Split('.');
        var valueText = assignment[(eq + 1)..];
        YamlNode value;
        try
        {
            var vs = new YamlStream();
            vs.Load(new StringReader("v: " + valueText));
            value = ((YamlMappingNode)vs.Documents[0].RootNode).Children[new YamlScalarNode("v")];
        }
        catch (YamlException) { value = new YamlScalarNode(valueText); }

        var node = root;
        for (int i = 0; i < keys.Length - 1; i++)
        {
            var key = new YamlScalarNode(keys[i]);
            if (!node.Children.TryGetValue(key, out var child))
            {
                child = new YamlMappingNode();
                node.Children[key] = child;
            }
            node = child as YamlMappingNode
                ?? throw new ConfigException($"--set {assignment}: '{string.Join('.', keys[..(i + 1)])}' is not a section");
        }
        node.Children[new YamlScalarNode(keys[^1])] = value;
    }

    private static string Explain(YamlException e, string document)
    {
        var inner = e.InnerException?.Message ?? e.Message;
        var m = UnknownProperty().Match(e.Message);
        if (m.Success)
        {
            var key = m.Groups[1].Value;
            var type = Type.GetType(m.Groups[2].Value) ?? typeof(PodiumConfig).Assembly.GetType(m.Groups[2].Value);
            var section = SectionName(type);
            var known = type is null ? [] : type.GetProperties().Select(p => UnderscoredNamingConvention.Instance.Apply(p.Name)).ToArray();
            return $"line {e.Start.Line}: unknown key '{key}'{(section is null ? "" : $" in '{section}'")}{KnownHint(key, known)}";
        }
        // A value of the wrong type: name its key and value (the converter's message names neither).
        if (KeyAt(document, e.Start) is var (path, value)) return $"line {e.Start.Line}: {path}: bad value '{value}' ({FirstLine(inner)})";
        return $"line {e.Start.Line}: {FirstLine(inner)}";
    }

    /// <summary>The dotted key and the text of the scalar value that starts at <paramref name="mark"/>, if one does.</summary>
    private static (string Key, string Value)? KeyAt(string document, Mark mark)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(document));
        (string, string)? Find(YamlNode node, string path)
        {
            switch (node)
            {
                case YamlScalarNode scalar when scalar.Start.Line == mark.Line && scalar.Start.Column == mark.Column:
                    return (path, scalar.Value ?? "");
                case YamlMappingNode map:
                    foreach (var (k, v) in map.Children)
                        if (Find(v, path.Length == 0 ? $"{k}" : $"{path}.{k}") is { } hit) return hit;
                    break;
                case YamlSequenceNode list:
                    for (int i = 0; i < list.Children.Count; i++)
                        if (Find(list.Children[i], $"{path}[{i}]") is { } hit) return hit;
                    break;
            }
            return null;
        }
        return stream.Documents.Count == 0 ? null : Find(stream.Documents[0].RootNode, "");
    }

    private static string? SectionName(Type? t) => t?.Name switch
    {
        nameof(PodiumConfig) => null,
        nameof(DataConfig) => "data",
        nameof(ModelConfig) => "model",
        nameof(UnfreezeStep) => "model.unfreeze[]",
        nameof(TrainConfig) => "train",
        nameof(ClipConfig) => "train.clip_grad",
        nameof(EmaConfig) => "train.ema",
        nameof(EarlyStoppingConfig) => "train.early_stopping",
        nameof(AugmentConfig) => "augment",
        nameof(BatchAugmentConfig) => "augment.batch",
        nameof(SubmissionConfig) => "submission",
        _ => t?.Name,
    };

    private static void Validate(PodiumConfig c, Func<string, string> source)
    {
        void Fail(string key, string problem) => throw new ConfigException($"{source(key)}: {key}: {problem}");
        // NaN passes every range check (each comparison is false) and infinity most: refuse both anywhere first.
        foreach (var (key, value) in NonFinite(c, "").Take(1)) Fail(key, F($"must be a finite number, got {value}"));
        if (string.IsNullOrWhiteSpace(c.Data.Train) && c.Data.Split is null) Fail("data.train",
            "is required (an image folder, a CSV manifest or an idx file), or data.split (a split file)");
        if (c.Data.Fold is not null && c.Data.Split is null) Fail("data.fold",
            "needs data.split (a k-fold split file from podium split --folds)");
        if (c.Data.ValSplit is < 0 or >= 1) Fail("data.val_split", $"must be in [0, 1), got {c.Data.ValSplit}");
        if (c.Data.ImgSize is < 8 or > 4096) Fail("data.img_size", $"must be between 8 and 4096, got {c.Data.ImgSize}");
        if (c.Data.Channels is not (1 or 3)) Fail("data.channels", $"must be 1 or 3, got {c.Data.Channels}");
        if (c.Data.Mean.Length != c.Data.Channels && c.Data.Mean.Length != 1) Fail("data.mean", $"needs {c.Data.Channels} values");
        if (c.Data.Std.Length != c.Data.Mean.Length) Fail("data.std", "needs as many values as data.mean");
        if (c.Data.Std.Any(s => s <= 0)) Fail("data.std", "values must be positive");
        if (c.Data.Workers < 1) Fail("data.workers", "must be at least 1");
        if (c.Data.TextPoints is not (0 or >= 3)) Fail("data.text_points",
            $"must be at least 3 (points per line), or 0 for any number, got {c.Data.TextPoints}");
        if (c.Data.Prefetch < 1) Fail("data.prefetch", "must be at least 1");
        if (c.Data.CacheMb < 0) Fail("data.cache_mb", "must be 0 (off) or more");
        OneOf("data.on_bad_input", c.Data.OnBadInput, "skip", "stop");
        OneOf("data.crop", c.Data.Crop, "none", "bbox");
        if (c.Data.CropMargin is < 0 or > 2) Fail("data.crop_margin", "a fraction of the box size, in [0, 2]");
        if (c.Data.Normalize is not null) OneOf("data.normalize", c.Data.Normalize, "auto");
        if (c.Data.Stats is not null && c.Data.Normalize is null) Fail("data.stats", "is read by data.normalize: auto; set that too");
        OneOf("device", c.Device, "auto", "cpu", "cuda");
        OneOf("model.freeze", c.Model.Freeze, "none", "backbone");
        OneOf("train.precision", c.Train.Precision, "fp32", "bf16", "fp16");
        for (int i = 0; i < c.Model.Unfreeze.Count; i++)
        {
            if (c.Model.Unfreeze[i].Epoch < 1) Fail($"model.unfreeze[{i}].epoch", "must be at least 1");
            try { _ = new System.Text.RegularExpressions.Regex(c.Model.Unfreeze[i].Pattern); }
            catch (ArgumentException e) { Fail($"model.unfreeze[{i}].pattern", $"not a regular expression ({e.Message})"); }
        }
        if (c.Model.Unfreeze.Count > 0 && c.Model.Freeze == "none") Fail("model.unfreeze",
            "needs model.freeze: backbone (nothing is frozen)");
        var losses = LossNames(c.Train.Loss, "train.loss").ToList();
        foreach (var (key, name) in losses.Where(l => l.Name is "arcface" or "cosface" && c.Model.Head?.Name != "cosine").Take(1))
            Fail(key, $"{name} needs model.head.type: cosine (its logits are scaled cosines)");
        if (c.Augment.Batch.MixupAlpha < 0) Fail("augment.batch.mixup_alpha", "must not be negative");
        if (c.Augment.Batch.CutmixAlpha < 0) Fail("augment.batch.cutmix_alpha", "must not be negative");
        if (c.Augment.Batch.Prob is < 0 or > 1) Fail("augment.batch.prob", "must be in [0, 1]");
        if (c.Augment.Batch.SwitchProb is < 0 or > 1) Fail("augment.batch.switch_prob", "must be in [0, 1]");
        if (c.Train.Epochs < 1) Fail("train.epochs", "must be at least 1");
        if (c.Train.BatchSize < 1) Fail("train.batch_size", "must be at least 1");
        if (c.Train.Accumulate < 1) Fail("train.accumulate", "must be at least 1");
        if (c.Train.Ema.Decay is <= 0 or >= 1) Fail("train.ema.decay", "must be in (0, 1)");
        if (c.Train.ClipGrad.Norm is <= 0) Fail("train.clip_grad.norm", "must be positive");
        if (c.Train.ClipGrad.Value is <= 0) Fail("train.clip_grad.value", "must be positive");
        if (c.Train.EarlyStopping.Patience is < 0) Fail("train.early_stopping.patience", "must not be negative");
        if (c.Train.DivergenceFactor is < 0 or (> 0 and <= 1)) Fail("train.divergence_factor", "0 (off) or more than 1");
        if (c.Ocr is { } o)
        {
            if (o.Inner is < 16 or > 1024 || o.Inner % 4 != 0) Fail("ocr.inner", "a multiple of 4 in [16, 1024]");
            if (o.ShrinkRatio is <= 0 or >= 1) Fail("ocr.shrink_ratio", "must be in (0, 1)");
            if (o.BnMomentum is <= 0 or > 1) Fail("ocr.bn_momentum", "must be in (0, 1]");
            if (o.Threshold is <= 0 or >= 1) Fail("ocr.threshold", "must be in (0, 1)");
            if (o.BoxThreshold is < 0 or >= 1) Fail("ocr.box_threshold", "must be in [0, 1)");
            if (o.UnclipRatio < 0) Fail("ocr.unclip_ratio", "0 (the inverse of the shrink) or more");
            if (o.EvalSize is < 64 or > 4096) Fail("ocr.eval_size", "between 64 and 4096 pixels");
            if (o.EvalEvery < 1) Fail("ocr.eval_every", "must be at least 1");
            OneOf("ocr.probability_loss", o.ProbabilityLoss, "bce", "dice");
            if (new[] { o.BceWeight, o.DiceWeight, o.L1Weight }.Any(v => v < 0)) Fail("ocr", "loss weights must not be negative");
            if (c.Data.ImgSize % 32 != 0) Fail("data.img_size", $"DBNet needs a multiple of 32, got {c.Data.ImgSize}");
        }
        if (c.Rec is { } r)
        {
            if (r.Height != 0 && (r.Height is < 16 or > 256 || r.Height % 16 != 0))
                Fail("rec.height", $"a multiple of 16 in [16, 256] (or 0: the network's), got {r.Height}");
            if (r.MaxWidth < Math.Max(16, r.Height)) Fail("rec.max_width", $"at least rec.height and 16 px, got {r.MaxWidth}");
            if (r.BeamWidth < 1) Fail("rec.beam_width", "must be at least 1");
            if (r.Context is < 0 or > 1) Fail("rec.context", F($"page kept around a line, in line heights, in [0, 1]; got {r.Context}"));
            OneOf("rec.decoder", r.Decoder, "greedy", "beam");
            if (c.Ocr is not null) Fail("rec", "a run trains a detector (ocr section) or a recogniser (rec section), not both");
        }
        if (c.Ssl is { } ssl)
        {
            OneOf("ssl.method", ssl.Method, "simclr", "simsiam");
            if (ssl.Temperature is <= 0 or > 10) Fail("ssl.temperature", F($"must be in (0, 10], got {ssl.Temperature}"));
            if (ssl.HiddenDim < 1) Fail("ssl.hidden_dim", "must be at least 1");
            if (ssl.ProjectionDim < 1) Fail("ssl.projection_dim", "must be at least 1");
            if (ssl.PredictorDim < 1) Fail("ssl.predictor_dim", "must be at least 1");
            if (ssl.Chunk is < 0 or 1) Fail("ssl.chunk", $"0 (the whole batch) or at least 2 views at once, got {ssl.Chunk}");
            if (ssl.KnnK < 1) Fail("ssl.knn_k", "must be at least 1");
            if (ssl.KnnTemperature <= 0) Fail("ssl.knn_temperature", "must be positive");
            if (c.Ocr is not null || c.Rec is not null) Fail("ssl", "pretraining learns a backbone from images; it takes no ocr or rec " +
                "section");
            if (c.Data.MultiLabel) Fail("data.multi_label", "pretraining reads no labels");
        }
        if (c.Anomaly is { } a)
        {
            OneOf("anomaly.method", a.Method, "patchcore", "autoencoder");
            OneOf("anomaly.threshold", a.Threshold, "auto", "percentile", "f1");
            if (a.Percentile is <= 0 or >= 100) Fail("anomaly.percentile", F($"must be in (0, 100), got {a.Percentile}"));
            if (a.Layers.Count == 0) Fail("anomaly.layers", "name at least one layer of the backbone");
            if (a.Coreset is <= 0 or > 1) Fail("anomaly.coreset", F($"a share of the patches in (0, 1], got {a.Coreset}"));
            if (a.BankMb < 1) Fail("anomaly.bank_mb", "must be at least 1");
            if (a.Width < 1 || a.Latent < 1) Fail(a.Width < 1 ? "anomaly.width" : "anomaly.latent", "must be at least 1");
            if (a.MapSigma < 0) Fail("anomaly.map_sigma", "must not be negative");
            if (a.Normal is { Count: 0 }) Fail("anomaly.normal", "name at least one class, or leave it out (data.train all normal)");
            if (c.Ocr is not null || c.Rec is not null || c.Ssl is not null)
                Fail("anomaly", "anomaly detection takes no ocr, rec or ssl section");
            if (c.Data.MultiLabel) Fail("data.multi_label", "anomaly detection needs one class per image");
            if (a.Method == "autoencoder" && c.Data.ImgSize % 16 != 0)
                Fail("data.img_size", $"the autoencoder halves the image 4 times: a multiple of 16, got {c.Data.ImgSize}");
        }
        if (c.Data.MultiLabel)
        {
            // One sigmoid per label: losses over a softmax (or angular margins between classes) do not apply.
            string[] perLabel = ["bce", "focal", "soft_f1", "sum"];
            foreach (var (key, name) in losses.Where(l => !perLabel.Contains(l.Name)))
                Fail(key, $"{name} needs one class per image; with data.multi_label use bce, focal or soft_f1 (per-label sigmoid losses)");
            if (c.Data.Crop == "bbox") Fail("data.crop", "bbox crops one object per image; multi-label data has none to crop to");
        }
        OneOf("submission.id_style", c.Submission.IdStyle, "stem", "filename", "path");

        void OneOf(string key, string value, params string[] allowed)
        {
            if (!allowed.Contains(value)) Fail(key, $"unknown value '{value}' {OneOfHint(value, allowed)}");
        }
    }

    /// <summary>The names a loss section gives, its own and its terms' (as written: their parameters are bound at resolve).</summary>
    private static IEnumerable<(string Key, string Name)> LossNames(ComponentConfig loss, string key)
    {
        yield return ($"{key}.name", loss.Name.Length == 0 ? "cross_entropy" : loss.Name);
        if (!loss.Parameters.TryGetValue("terms", out var raw) || raw is not IEnumerable<object> terms) yield break;
        int i = 0;
        foreach (var term in terms)
        {
            var at = $"{key}.terms[{i++}]";
            foreach (var name in LossNames(ComponentConfigYaml.FromRaw(term, at), at)) yield return name;
        }
    }

    /// <summary>What follows "unknown X 'word'": " (did you mean 'near'?)" for a likely typo, else " (known: all of them)".</summary>
    public static string KnownHint(string word, IEnumerable<string> known)
    {
        var candidates = known.ToList();
        return Suggest(word, candidates) is { } hint ? $" (did you mean '{hint}'?)" : $" (known: {string.Join(", ", candidates)})";
    }

    /// <summary>What follows "unknown value 'word'": "(did you mean 'near'? one of: all of them)", the guess only for a likely
    /// typo.</summary>
    public static string OneOfHint(string word, IEnumerable<string> allowed)
    {
        var candidates = allowed.ToList();
        var hint = Suggest(word, candidates);
        return $"({(hint is null ? "" : $"did you mean '{hint}'? ")}one of: {string.Join(", ", candidates)})";
    }

    /// <summary>The closest candidate by edit distance, if it is close enough to be a likely typo.</summary>
    public static string? Suggest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = Platform.EditDistance.Levenshtein(word.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (c, d);
        }
        return best is not null && bestDistance <= Math.Max(2, word.Length / 3) ? best : null;
    }

    /// <summary>Every NaN or infinite number in the config's own sections (components check theirs when bound), with its key.</summary>
    private static IEnumerable<(string Key, double Value)> NonFinite(object section, string path)
    {
        var keys = section.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && !p.IsDefined(typeof(YamlIgnoreAttribute), true));
        foreach (var p in keys)
        {
            string key = (path.Length == 0 ? "" : path + ".") + UnderscoredNamingConvention.Instance.Apply(p.Name);
            switch (p.GetValue(section))
            {
                case double d when !double.IsFinite(d): yield return (key, d); break;
                case double[] list:
                    for (int i = 0; i < list.Length; i++)
                        if (!double.IsFinite(list[i])) yield return ($"{key}[{i}]", list[i]);
                    break;
                case { } nested when nested.GetType().Namespace == typeof(ConfigLoader).Namespace && nested.GetType().IsClass
                    && nested is not (ComponentConfig or ComponentOptions):
                    foreach (var hit in NonFinite(nested, key)) yield return hit;
                    break;
            }
        }
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    [GeneratedRegex(@"Property '([^']+)' not found on type '([^']+)'")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex(@"^line \d+: ")]
    private static partial Regex LinePrefix();
}
