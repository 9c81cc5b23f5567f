using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>
/// Builds pipelines from the config's <c>augment:</c> lists, by snake_case transform name:
/// <c>- random_resized_crop: {size: 112, scale: [0.35, 1.0]}</c>. Containers nest:
/// <c>- one_of: {p: 0.5, transforms: [...]}</c>. Unknown names and parameters, and values out of
/// range, fail before training with the list position and key.
/// </summary>
public static class TransformRegistry
{
    private delegate ITransform? Factory(ParamReader p, BuildContext c);

    private sealed record BuildContext(int ImgSize, string Where);

    private static readonly Dictionary<string, (Factory Make, string[] Params)> Factories = new()
    {
        ["resize"] = ((p, c) => { var (h, w) = Size(p, c.ImgSize); return new Resize(h, w); }, ["size"]),
        ["longest_max_size"] = ((p, c) => new LongestMaxSize(Positive(p.Int("max_size", c.ImgSize), "max_size"), P(p, 1)), ["max_size", "p"]),
        ["smallest_max_size"] = ((p, c) => new SmallestMaxSize(Positive(p.Int("max_size", c.ImgSize), "max_size"), P(p, 1)), ["max_size", "p"]),
        ["random_resized_crop"] = ((p, c) =>
        {
            var (h, w) = Size(p, c.ImgSize);
            var scale = p.Doubles("scale", [0.08, 1.0]);
            var ratio = p.Doubles("ratio", [3.0 / 4, 4.0 / 3]);
            if (scale.Length != 2 || scale[0] <= 0 || scale[0] > scale[1] || scale[1] > 1) throw new ConfigException("scale must be [min, max] with 0 < min <= max <= 1");
            if (ratio.Length != 2 || ratio[0] <= 0 || ratio[0] > ratio[1]) throw new ConfigException("ratio must be [min, max] with 0 < min <= max");
            return new RandomResizedCrop(h, w, scale[0], scale[1], ratio[0], ratio[1], P(p, 1));
        }, ["size", "scale", "ratio", "p"]),
        ["random_crop"] = ((p, c) => new RandomCrop(Positive(p.Int("height", c.ImgSize), "height"), Positive(p.Int("width", c.ImgSize), "width"), P(p, 1)), ["height", "width", "p"]),
        ["center_crop"] = ((p, c) => new CenterCrop(Positive(p.Int("height", c.ImgSize), "height"), Positive(p.Int("width", c.ImgSize), "width"), P(p, 1)), ["height", "width", "p"]),
        ["pad_if_needed"] = ((p, c) => new PadIfNeeded(Positive(p.Int("min_height", c.ImgSize), "min_height"), Positive(p.Int("min_width", c.ImgSize), "min_width"),
            Border(p), p.Double("value", 0), P(p, 1)), ["min_height", "min_width", "border_mode", "value", "p"]),
        ["horizontal_flip"] = ((p, _) => new HorizontalFlip(P(p, 0.5)), ["p"]),
        ["vertical_flip"] = ((p, _) => new VerticalFlip(P(p, 0.5)), ["p"]),
        ["transpose"] = ((p, _) => new Transpose(P(p, 0.5)), ["p"]),
        ["random_rotate90"] = ((p, _) => new RandomRotate90(P(p, 0.5)), ["p"]),
        ["rotate"] = ((p, _) => new Rotate(p.Double("limit", 90), Border(p), p.Double("value", 0), P(p, 0.5)), ["limit", "border_mode", "value", "p"]),
        ["affine"] = ((p, _) => new Affine(Range(p, "scale", [1, 1], symmetric: false), Range(p, "translate_percent", [0, 0], symmetric: true),
            Range(p, "rotate", [0, 0], symmetric: true), Range(p, "shear", [0, 0], symmetric: true), Border(p), p.Double("value", 0), P(p, 0.5)),
            ["scale", "translate_percent", "rotate", "shear", "border_mode", "value", "p"]),
        ["shift_scale_rotate"] = ((p, _) =>
        {
            double shift = p.Double("shift_limit", 0.0625), scale = p.Double("scale_limit", 0.1), rotate = p.Double("rotate_limit", 45);
            if (scale is < 0 or >= 1) throw new ConfigException($"scale_limit must be in [0, 1), got {scale}");
            return new Affine([1 - scale, 1 + scale], [-shift, shift], [-rotate, rotate], [0, 0], Border(p), p.Double("value", 0), P(p, 0.5));
        }, ["shift_limit", "scale_limit", "rotate_limit", "border_mode", "value", "p"]),
        ["perspective"] = ((p, _) => { var s = Range(p, "scale", [0.05, 0.1], symmetric: false); return new Perspective(s[0], s[1], P(p, 0.5)); }, ["scale", "p"]),
        ["one_of"] = ((p, c) => new OneOf(Children(p, c), P(p, 0.5)), ["transforms", "p"]),
        ["some_of"] = ((p, c) => { var children = Children(p, c); return new SomeOf(children, p.Int("n", 1), P(p, 1)); }, ["transforms", "n", "p"]),
        ["sequential"] = ((p, c) => new Compose(Children(p, c), P(p, 1)), ["transforms", "p"]),
        // normalize is the pipeline's final step; it is read by Build, not added as a transform.
        ["normalize"] = ((_, _) => null, ["mean", "std"]),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Builds a pipeline; <paramref name="section"/> names it in errors (e.g. augment.train).</summary>
    public static Pipeline Build(IReadOnlyList<Dictionary<string, object?>> items, string section, int imgSize, double[] mean, double[] std)
    {
        var normalize = new Normalize(mean, std);
        var transforms = BuildList(items.Cast<object?>().ToList(), section, imgSize, (where, reader) =>
            normalize = new Normalize(reader.Doubles("mean", mean), reader.Doubles("std", std)));
        return new Pipeline(new Compose(transforms), normalize, imgSize, imgSize);
    }

    private static List<ITransform> BuildList(IReadOnlyList<object?> items, string section, int imgSize, Action<string, ParamReader>? onNormalize)
    {
        var transforms = new List<ITransform>();
        for (int i = 0; i < items.Count; i++)
        {
            string where = $"{section}[{i}]";
            var (name, raw) = items[i] switch
            {
                string bare => (bare, (object?)null),
                IDictionary<string, object?> d when d.Count == 1 => (d.First().Key, d.First().Value),
                IDictionary<object, object> d when d.Count == 1 => (d.First().Key.ToString()!, d.First().Value),
                _ => throw new ConfigException($"{where}: each item is one transform name with its parameters, e.g. - horizontal_flip: {{p: 0.5}}"),
            };
            if (!Factories.TryGetValue(name, out var entry))
            {
                var hint = ConfigLoader.Suggest(name, Factories.Keys);
                throw new ConfigException($"{where}: unknown transform '{name}'" + (hint is null ? $" (known: {string.Join(", ", Factories.Keys.Order())})" : $" (did you mean '{hint}'?)"));
            }
            var values = raw switch
            {
                null => new Dictionary<string, object?>(),
                IDictionary<object, object> d => d.ToDictionary(kv => kv.Key.ToString()!, kv => (object?)kv.Value),
                _ => throw new ConfigException($"{where}.{name}: parameters must be a mapping, e.g. {{p: 0.5}}"),
            };
            var reader = new ParamReader($"{where}.{name}", values);
            ITransform? t;
            try { t = entry.Make(reader, new BuildContext(imgSize, $"{where}.{name}")); }
            catch (ConfigException e) when (!e.Message.StartsWith(section, StringComparison.Ordinal)) { throw new ConfigException($"{where}.{name}: {e.Message}"); }
            if (name == "normalize")
            {
                if (onNormalize is null) throw new ConfigException($"{where}: normalize belongs at the top level of a pipeline");
                onNormalize(where, reader);
            }
            reader.EnsureAllUsed(entry.Params);
            if (t is not null) transforms.Add(t);
        }
        return transforms;
    }

    private static List<ITransform> Children(ParamReader p, BuildContext c) => p.Raw("transforms") switch
    {
        IEnumerable<object> list => BuildList(list.ToList()!, $"{c.Where}.transforms", c.ImgSize, null),
        null => throw new ConfigException("needs transforms: [...]"),
        _ => throw new ConfigException("transforms must be a list"),
    };

    private static (int H, int W) Size(ParamReader p, int imgSize)
    {
        var size = p.Doubles("size", [imgSize]);
        if (size.Length is < 1 or > 2 || size.Any(v => v < 1)) throw new ConfigException($"size must be a positive number or [height, width], got [{string.Join(", ", size)}]");
        return size.Length == 1 ? ((int)size[0], (int)size[0]) : ((int)size[0], (int)size[1]);
    }

    private static int Positive(int v, string key) => v > 0 ? v : throw new ConfigException($"{key} must be positive, got {v}");

    /// <summary>[lo, hi] from a pair, or from a scalar v: [-v, v] when symmetric, else [v, v].</summary>
    private static double[] Range(ParamReader p, string key, double[] fallback, bool symmetric)
    {
        var v = p.Doubles(key, fallback);
        var r = v.Length == 1 ? (symmetric ? [-Math.Abs(v[0]), Math.Abs(v[0])] : [v[0], v[0]]) : v;
        if (r.Length != 2 || r[0] > r[1]) throw new ConfigException($"{key} must be a number or [min, max] with min <= max");
        return r;
    }

    private static BorderTypes Border(ParamReader p) => p.String("border_mode", "constant") switch
    {
        "constant" => BorderTypes.Constant,
        "reflect" => BorderTypes.Reflect,
        "reflect_101" => BorderTypes.Reflect101,
        "replicate" => BorderTypes.Replicate,
        var other => throw new ConfigException($"border_mode: unknown value '{other}' (one of: constant, reflect, reflect_101, replicate)"),
    };

    private static double P(ParamReader p, double fallback)
    {
        var v = p.Double("p", fallback);
        if (v is < 0 or > 1) throw new ConfigException($"p must be in [0, 1], got {v}");
        return v;
    }
}
