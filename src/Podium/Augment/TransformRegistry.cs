using Podium.Config;

namespace Podium.Augment;

/// <summary>
/// Builds pipelines from the config's <c>augment:</c> lists, by snake_case transform name:
/// <c>- random_resized_crop: {size: 112, scale: [0.35, 1.0]}</c>. Unknown names and
/// parameters fail with the list position and key.
/// </summary>
public static class TransformRegistry
{
    private delegate ITransform? Factory(ParamReader p, int imgSize);

    private static readonly Dictionary<string, (Factory Make, string[] Params)> Factories = new()
    {
        ["resize"] = ((p, s) => { var (h, w) = Size(p, s); return new Resize(h, w); }, ["size"]),
        ["random_resized_crop"] = ((p, s) =>
        {
            var (h, w) = Size(p, s);
            var scale = p.Doubles("scale", [0.08, 1.0]);
            var ratio = p.Doubles("ratio", [3.0 / 4, 4.0 / 3]);
            if (scale.Length != 2 || scale[0] <= 0 || scale[0] > scale[1] || scale[1] > 1) throw new ConfigException("scale must be [min, max] with 0 < min <= max <= 1");
            if (ratio.Length != 2 || ratio[0] <= 0 || ratio[0] > ratio[1]) throw new ConfigException("ratio must be [min, max] with 0 < min <= max");
            return new RandomResizedCrop(h, w, scale[0], scale[1], ratio[0], ratio[1]);
        }, ["size", "scale", "ratio"]),
        ["horizontal_flip"] = ((p, _) => new HorizontalFlip(Probability(p)), ["p"]),
        // normalize is the pipeline's final step; it is read by Build, not added as a transform.
        ["normalize"] = ((_, _) => null, ["mean", "std"]),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Builds a pipeline; <paramref name="section"/> names it in errors (e.g. augment.train).</summary>
    public static Pipeline Build(IReadOnlyList<Dictionary<string, object?>> items, string section, int imgSize, double[] mean, double[] std)
    {
        var transforms = new List<ITransform>();
        var normalize = new Normalize(mean, std);
        for (int i = 0; i < items.Count; i++)
        {
            string where = $"{section}[{i}]";
            if (items[i].Count != 1) throw new ConfigException($"{where}: each item is one transform name with its parameters, got {items[i].Count} keys");
            var (name, raw) = items[i].First();
            if (!Factories.TryGetValue(name, out var entry))
            {
                var hint = ConfigLoader.Suggest(name, Factories.Keys);
                throw new ConfigException($"{where}: unknown transform '{name}'" + (hint is null ? $" (known: {string.Join(", ", Factories.Keys)})" : $" (did you mean '{hint}'?)"));
            }
            var values = raw switch
            {
                null => new Dictionary<string, object?>(),
                IDictionary<object, object> d => d.ToDictionary(kv => kv.Key.ToString()!, kv => (object?)kv.Value),
                _ => throw new ConfigException($"{where}.{name}: parameters must be a mapping, e.g. {{p: 0.5}}"),
            };
            var reader = new ParamReader($"{where}.{name}", values);
            ITransform? t;
            try { t = entry.Make(reader, imgSize); }
            catch (ConfigException e) when (!e.Message.StartsWith(section, StringComparison.Ordinal)) { throw new ConfigException($"{where}.{name}: {e.Message}"); }
            if (name == "normalize") normalize = new Normalize(reader.Doubles("mean", mean), reader.Doubles("std", std));
            reader.EnsureAllUsed(entry.Params);
            if (t is not null) transforms.Add(t);
        }
        return new Pipeline(new Compose(transforms), normalize, imgSize, imgSize);
    }

    private static (int H, int W) Size(ParamReader p, int imgSize)
    {
        var size = p.Doubles("size", [imgSize]);
        if (size.Length is < 1 or > 2 || size.Any(v => v < 1)) throw new ConfigException("size must be a positive number or [height, width]");
        return size.Length == 1 ? ((int)size[0], (int)size[0]) : ((int)size[0], (int)size[1]);
    }

    private static double Probability(ParamReader p)
    {
        var v = p.Double("p", 0.5);
        if (v is < 0 or > 1) throw new ConfigException($"p must be in [0, 1], got {v}");
        return v;
    }
}
