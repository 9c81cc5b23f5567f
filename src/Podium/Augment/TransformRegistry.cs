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

    // Declared before Factories, which reads it during its own initialisation.
    private static readonly string[] CoarseDropoutParams = ["max_holes", "min_holes", "max_height", "min_height", "max_width", "min_width",
        "fill_value", "mask_fill_value", "p"];

    private static readonly Dictionary<string, (Factory Make, string[] Params)> Factories = new()
    {
        ["resize"] = ((p, c) => { var (h, w) = Size(p, c.ImgSize); return new Resize(h, w); }, ["size"]),
        ["longest_max_size"] = ((p, c) => new LongestMaxSize(Positive(p.Int("max_size", c.ImgSize), "max_size"), P(p, 1)), ["max_size",
            "p"]),
        ["smallest_max_size"] = ((p, c) => new SmallestMaxSize(Positive(p.Int("max_size", c.ImgSize), "max_size"), P(p, 1)), ["max_size",
            "p"]),
        ["random_resized_crop"] = ((p, c) =>
        {
            var (h, w) = Size(p, c.ImgSize);
            var scale = p.Doubles("scale", [0.08, 1.0]);
            var ratio = p.Doubles("ratio", [3.0 / 4, 4.0 / 3]);
            if (scale.Length != 2 || scale[0] <= 0 || scale[0] > scale[1]
                || scale[1] > 1) throw new ConfigException("scale must be [min, max] with 0 < min <= max <= 1");
            if (ratio.Length != 2 || ratio[0] <= 0
                || ratio[0] > ratio[1]) throw new ConfigException("ratio must be [min, max] with 0 < min <= max");
            return new RandomResizedCrop(h, w, scale[0], scale[1], ratio[0], ratio[1], P(p, 1));
        }, ["size", "scale", "ratio", "p"]),
        ["random_crop"] = ((p, c) => new RandomCrop(Positive(p.Int("height", c.ImgSize), "height"), Positive(p.Int("width", c.ImgSize),
            "width"), P(p, 1)), ["height", "width", "p"]),
        ["center_crop"] = ((p, c) => new CenterCrop(Positive(p.Int("height", c.ImgSize), "height"), Positive(p.Int("width", c.ImgSize),
            "width"), P(p, 1)), ["height", "width", "p"]),
        ["crop"] = ((p, _) =>
        {
            int x0 = NonNegative(p.Int("x_min", 0), "x_min"), y0 = NonNegative(p.Int("y_min", 0), "y_min");
            int x1 = p.Int("x_max", 0), y1 = p.Int("y_max", 0);
            if (x1 <= x0 || y1 <=
                y0) throw new ConfigException($"x_max and y_max must be greater than x_min and y_min, got ({x0}, {y0}) to ({x1}, {y1})");
            return new Crop(x0, y0, x1, y1, P(p, 1));
        }, ["x_min", "y_min", "x_max", "y_max", "p"]),
        ["pad_if_needed"] = ((p, c) => new PadIfNeeded(Positive(p.Int("min_height", c.ImgSize), "min_height"),
            Positive(p.Int("min_width", c.ImgSize), "min_width"),
            Border(p), p.Double("value", 0), P(p, 1)), ["min_height", "min_width", "border_mode", "value", "p"]),
        ["random_sized_crop"] = ((p, c) =>
        {
            var r = Range(p, "min_max_height", [c.ImgSize / 2, c.ImgSize], symmetric: false);
            var (h, w) = Size(p, c.ImgSize);
            return new RandomSizedCrop((int)Positive(r[0], "min_max_height"), (int)r[1], h, w, Positive(p.Double("w2h_ratio", 1),
                "w2h_ratio"), P(p, 1));
        }, ["min_max_height", "size", "w2h_ratio", "p"]),
        ["crop_non_empty_mask_if_exists"] = ((p, c) => new CropNonEmptyMaskIfExists(Positive(p.Int("height", c.ImgSize), "height"),
            Positive(p.Int("width", c.ImgSize), "width"), P(p, 1)),
            ["height", "width", "p"]),
        ["text_safe_crop"] = ((p, c) => new TextSafeCrop(Positive(p.Int("size", c.ImgSize), "size"),
            Within(p.Double("min_crop_side_ratio", 0.1), "min_crop_side_ratio", 0.01, 1),
            (int)Positive(p.Int("tries", 10), "tries"), P(p, 1)), ["size", "min_crop_side_ratio", "tries", "p"]),
        ["grid_distortion"] = ((p, _) => new GridDistortion(Positive(p.Int("num_steps", 5), "num_steps"),
            Within(p.Double("distort_limit", 0.3), "distort_limit", 0, 0.9), Border(p, "reflect_101"), P(p, 0.5)),
            ["num_steps", "distort_limit", "border_mode", "p"]),
        ["elastic_transform"] = ((p, _) => new ElasticTransform(NonNegative(p.Double("alpha", 1), "alpha"), Positive(p.Double("sigma", 50),
            "sigma"), Border(p, "reflect_101"), P(p, 0.5)),
            ["alpha", "sigma", "border_mode", "p"]),
        ["horizontal_flip"] = ((p, _) => new HorizontalFlip(P(p, 0.5)), ["p"]),
        ["vertical_flip"] = ((p, _) => new VerticalFlip(P(p, 0.5)), ["p"]),
        ["transpose"] = ((p, _) => new Transpose(P(p, 0.5)), ["p"]),
        ["random_rotate90"] = ((p, _) => new RandomRotate90(P(p, 0.5)), ["p"]),
        ["rotate"] = ((p, _) => new Rotate(p.Double("limit", 90), Border(p), p.Double("value", 0), P(p, 0.5)), ["limit", "border_mode",
            "value", "p"]),
        ["affine"] = ((p, _) => new Affine(Range(p, "scale", [1, 1], symmetric: false), Range(p, "translate_percent", [0, 0],
            symmetric: true),
            Range(p, "rotate", [0, 0], symmetric: true), Range(p, "shear", [0, 0], symmetric: true), Border(p), p.Double("value", 0), P(p,
                0.5)),
            ["scale", "translate_percent", "rotate", "shear", "border_mode", "value", "p"]),
        ["shift_scale_rotate"] = ((p, _) =>
        {
            double shift = p.Double("shift_limit", 0.0625), scale = p.Double("scale_limit", 0.1), rotate = p.Double("rotate_limit", 45);
            if (scale is < 0 or >= 1) throw new ConfigException($"scale_limit must be in [0, 1), got {scale}");
            return new Affine([1 - scale, 1 + scale], [-shift, shift], [-rotate, rotate], [0, 0], Border(p), p.Double("value", 0), P(p,
                0.5));
        }, ["shift_limit", "scale_limit", "rotate_limit", "border_mode", "value", "p"]),
        ["perspective"] = ((p, _) => { var s = Range(p, "scale", [0.05, 0.1], symmetric: false); return new Perspective(s[0], s[1],
            P(p, 0.5)); }, ["scale", "p"]),
        ["color_jitter"] = ((p, _) => new ColorJitter(NonNegative(p.Double("brightness", 0.2), "brightness"),
            NonNegative(p.Double("contrast", 0.2), "contrast"),
            NonNegative(p.Double("saturation", 0.2), "saturation"), Within(p.Double("hue", 0.2), "hue", 0, 0.5), P(p, 0.5)), ["brightness",
                "contrast", "saturation", "hue", "p"]),
        ["random_brightness_contrast"] = ((p, _) => new RandomBrightnessContrast(p.Double("brightness_limit", 0.2),
            p.Double("contrast_limit", 0.2), P(p, 0.5)),
            ["brightness_limit", "contrast_limit", "p"]),
        ["hue_saturation_value"] = ((p, _) => new HueSaturationValue(p.Double("hue_shift_limit", 20), p.Double("sat_shift_limit", 30),
            p.Double("val_shift_limit", 20), P(p, 0.5)),
            ["hue_shift_limit", "sat_shift_limit", "val_shift_limit", "p"]),
        ["rgb_shift"] = ((p, _) => new RgbShift(p.Double("r_shift_limit", 20), p.Double("g_shift_limit", 20), p.Double("b_shift_limit", 20),
            P(p, 0.5)),
            ["r_shift_limit", "g_shift_limit", "b_shift_limit", "p"]),
        ["random_gamma"] = ((p, _) => { var g = Range(p, "gamma_limit", [80, 120], symmetric: false);
            return new RandomGamma(Positive(g[0], "gamma_limit"), g[1], P(p, 0.5)); }, ["gamma_limit", "p"]),
        ["clahe"] = ((p, _) =>
        {
            var c = p.Doubles("clip_limit", [1, 4]);
            var r = c.Length == 1 ? [1, c[0]] : c;
            return new Clahe(Positive(r[0], "clip_limit"), r[1], (int)Positive(p.Int("tile_grid_size", 8), "tile_grid_size"), P(p, 0.5));
        }, ["clip_limit", "tile_grid_size", "p"]),
        ["equalize"] = ((p, _) => new Equalize(P(p, 0.5)), ["p"]),
        ["to_gray"] = ((p, _) => new ToGray(P(p, 0.5)), ["p"]),
        ["channel_shuffle"] = ((p, _) => new ChannelShuffle(P(p, 0.5)), ["p"]),
        ["invert_img"] = ((p, _) => new InvertImg(P(p, 0.5)), ["p"]),
        ["posterize"] = ((p, _) => { var b = Range(p, "num_bits", [4, 4], symmetric: false); Within(b[0], "num_bits", 1, 8); Within(b[1],
            "num_bits", 1, 8); return new Posterize((int)b[0], (int)b[1], P(p, 0.5)); }, ["num_bits", "p"]),
        ["solarize"] = ((p, _) => { var th = Range(p, "threshold", [128, 128], symmetric: false); return new Solarize(th[0], th[1],
            P(p, 0.5)); }, ["threshold", "p"]),
        ["sharpen"] = ((p, _) => { var a = Range(p, "alpha", [0.2, 0.5], false); var l = Range(p, "lightness", [0.5, 1.0], false);
            return new Sharpen(a[0], a[1], l[0], l[1], P(p, 0.5)); },
            ["alpha", "lightness", "p"]),
        ["gaussian_blur"] = ((p, _) => { var k = BlurLimit(p); var s = Range(p, "sigma_limit", [0, 0], false); return new GaussianBlur(k.Lo,
            k.Hi, s[0], s[1], P(p, 0.5)); },
            ["blur_limit", "sigma_limit", "p"]),
        ["median_blur"] = ((p, _) => { var k = BlurLimit(p); return new MedianBlur(k.Lo, k.Hi, P(p, 0.5)); }, ["blur_limit", "p"]),
        ["motion_blur"] = ((p, _) => { var k = BlurLimit(p); return new MotionBlur(k.Lo, k.Hi, P(p, 0.5)); }, ["blur_limit", "p"]),
        ["gauss_noise"] = ((p, _) => { var v = Range(p, "var_limit", [10, 50], false); return new GaussNoise(NonNegative(v[0], "var_limit"),
            v[1], p.Double("mean", 0), P(p, 0.5)); },
            ["var_limit", "mean", "p"]),
        ["iso_noise"] = ((p, _) => { var c = Range(p, "color_shift", [0.01, 0.05], false); var i = Range(p, "intensity", [0.1, 0.5], false);
            return new IsoNoise(Within(c[0], "color_shift", 0, 1), Within(c[1], "color_shift", 0, 1), NonNegative(i[0], "intensity"), i[1],
                P(p, 0.5)); }, ["color_shift", "intensity", "p"]),
        ["multiplicative_noise"] = ((p, _) => { var m = Range(p, "multiplier", [0.9, 1.1], false);
            return new MultiplicativeNoise(NonNegative(m[0], "multiplier"), m[1], p.Bool("per_channel", false), p.Bool("elementwise",
            false), P(p, 0.5)); },
            ["multiplier", "per_channel", "elementwise", "p"]),
        ["image_compression"] = ((p, _) => { var q = Range(p, "quality_range", [80, 100], false); Within(q[0], "quality_range", 1, 100);
            Within(q[1], "quality_range", 1, 100); return new ImageCompression((int)q[0], (int)q[1], P(p, 0.5)); },
            ["quality_range", "p"]),
        ["downscale"] = ((p, _) => { var s = Range(p, "scale_range", [0.25, 0.25], false); Within(s[0], "scale_range", 0.01, 1);
            Within(s[1], "scale_range", 0.01, 1); return new Downscale(s[0], s[1], P(p, 0.5)); },
            ["scale_range", "p"]),
        ["coarse_dropout"] = (CoarseDropoutFactory, CoarseDropoutParams),
        ["cutout"] = (CoarseDropoutFactory, CoarseDropoutParams),
        ["grid_dropout"] = ((p, _) =>
        {
            var u = Range(p, "unit_size_range", [10, 40], false);
            return new GridDropout(Within(p.Double("ratio", 0.5), "ratio", 0.01, 1), (int)Positive(u[0], "unit_size_range"), (int)u[1],
                p.Bool("random_offset", true),
                p.Double("fill_value", 0), MaskFill(p), P(p, 0.5));
        }, ["ratio", "unit_size_range", "random_offset", "fill_value", "mask_fill_value", "p"]),
        ["random_erasing"] = ((p, _) =>
        {
            var sc = Range(p, "scale", [0.02, 0.33], false);
            var r = Range(p, "ratio", [0.3, 3.3], false);
            return new RandomErasing(Positive(sc[0], "scale"), Within(sc[1], "scale", 0, 1), Positive(r[0], "ratio"), r[1],
                p.Double("value", 0), P(p, 0.5));
        }, ["scale", "ratio", "value", "p"]),
        ["ink_bleed"] = ((p, _) => { var k = Range(p, "kernel_size", [2, 3], false); var i = Range(p, "intensity", [0.4, 0.7], false);
            return new InkBleed((int)Positive(k[0], "kernel_size"), (int)k[1], Within(i[0], "intensity", 0, 1), Within(i[1], "intensity", 0,
                1), P(p, 0.5)); }, ["kernel_size", "intensity", "p"]),
        ["low_ink_lines"] = ((p, _) => { var n = Range(p, "count", [3, 10], false); var f = Range(p, "fade", [0.3, 0.8], false);
            return new LowInkLines((int)NonNegative(n[0], "count"), (int)n[1], Within(f[0], "fade", 0, 1), Within(f[1], "fade", 0, 1), P(p,
                0.5)); }, ["count", "fade", "p"]),
        ["dithering"] = ((p, _) => new Dithering(P(p, 0.5)), ["p"]),
        ["paper_texture"] = ((p, _) => { var st = Range(p, "strength", [0.05, 0.2], false);
            return new PaperTexture(Within(st[0], "strength", 0, 1), Within(st[1], "strength", 0, 1), P(p, 0.5)); }, ["strength", "p"]),
        ["lighting_gradient"] = ((p, _) => { var d = Range(p, "darkest", [0.5, 0.85], false);
            return new LightingGradient(Within(d[0], "darkest", 0, 1), Within(d[1], "darkest", 0, 1), Within(p.Double("shadow_p", 0.5),
                "shadow_p", 0, 1), P(p, 0.5)); }, ["darkest", "shadow_p", "p"]),
        ["dirty_rollers"] = ((p, _) => { var n = Range(p, "count", [4, 15], false); return new DirtyRollers((int)NonNegative(n[0], "count"),
            (int)n[1], P(p, 0.5)); }, ["count", "p"]),
        ["bad_photocopy"] = ((p, _) => { var n = Range(p, "noise", [0.01, 0.05], false);
            return new BadPhotocopy(Within(n[0], "noise", 0, 0.5), Within(n[1], "noise", 0, 0.5), P(p, 0.5)); }, ["noise", "p"]),
        ["folding"] = ((p, _) => { var n = Range(p, "folds", [1, 2], false); return new Folding((int)Positive(n[0], "folds"), (int)n[1],
            P(p, 0.5)); }, ["folds", "p"]),
        ["scribbles"] = ((p, _) => { var n = Range(p, "count", [1, 3], false); return new Scribbles((int)Positive(n[0], "count"), (int)n[1],
            P(p, 0.5)); }, ["count", "p"]),
        ["rand_augment"] = ((p, _) =>
        {
            int bins = Bins(p);
            int m = p.Int("m", 9);
            if (m < 0 || m >= bins) throw new ConfigException($"m must be in [0, {bins - 1}], got {m}");
            return new RandAugment((int)NonNegative(p.Int("n", 2), "n"), m, bins, P(p, 1));
        }, ["n", "m", "num_magnitude_bins", "p"]),
        ["trivial_augment_wide"] = ((p, _) => new TrivialAugmentWide(Bins(p), P(p, 1)), ["num_magnitude_bins", "p"]),
        ["auto_augment"] = ((p, _) =>
        {
            var policy = p.String("policy", "imagenet");
            if (policy != "imagenet") throw new ConfigException($"policy: unknown value '{policy}' (one of: imagenet)");
            return new AutoAugment(P(p, 1));
        }, ["policy", "p"]),
        ["one_of"] = ((p, c) => new OneOf(Children(p, c), P(p, 0.5)), ["transforms", "p"]),
        ["some_of"] = ((p, c) => { var children = Children(p, c); return new SomeOf(children, p.Int("n", 1), P(p, 1)); }, ["transforms",
            "n", "p"]),
        ["sequential"] = ((p, c) => new Compose(Children(p, c), P(p, 1)), ["transforms", "p"]),
        // normalize is the pipeline's final step; it is read by Build, not added as a transform.
        ["normalize"] = ((_, _) => null, ["mean", "std"]),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Builds a pipeline; <paramref name="section"/> names it in errors (e.g. augment.train).</summary>
    public static Pipeline Build(IReadOnlyList<object> items, string section, int imgSize, double[] mean, double[] std)
    {
        var normalize = new Normalize(mean, std);
        var transforms = BuildList(items.ToList()!, section, imgSize, reader =>
            normalize = new Normalize(reader.Doubles("mean", mean), reader.Doubles("std", std)));
        return new Pipeline(new Compose(transforms), normalize, imgSize, imgSize);
    }

    private static List<ITransform> BuildList(IReadOnlyList<object?> items, string section, int imgSize, Action<ParamReader>? onNormalize)
    {
        var transforms = new List<ITransform>();
        for (int i = 0; i < items.Count; i++)
        {
            string where = $"{section}[{i}]";
            var (name, raw) = items[i] switch
            {
                string bare => (bare, (object?)null),
                IDictionary<object, object> d when d.Count == 1 => (d.First().Key.ToString()!, d.First().Value),
                _ => throw new ConfigException($"{where}: each item is one transform name with its parameters, e.g. - horizontal_flip: " +
                    $"{{p: 0.5}}"),
            };
            if (!Factories.TryGetValue(name, out var entry))
            {
                var hint = ConfigLoader.Suggest(name, Factories.Keys);
                throw new ConfigException($"{where}: unknown transform '{name}'" + (hint is null
                    ? $" (known: {string.Join(", ", Factories.Keys.Order())})" : $" (did you mean '{hint}'?)"));
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
            catch (ConfigException e) when (!e.Message.StartsWith(section,
                StringComparison.Ordinal)) { throw new ConfigException($"{where}.{name}: {e.Message}"); }
            if (name == "normalize")
            {
                if (onNormalize is null) throw new ConfigException($"{where}: normalize belongs at the top level of a pipeline");
                onNormalize(reader);
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
        if (size.Length is < 1 or > 2 || size.Any(v
            => v < 1)) throw new ConfigException($"size must be a positive number or [height, width], got [{string.Join(", ", size)}]");
        return size.Length == 1 ? ((int)size[0], (int)size[0]) : ((int)size[0], (int)size[1]);
    }

    private static int Positive(int v, string key) => v > 0 ? v : throw new ConfigException($"{key} must be positive, got {v}");
    private static double Positive(double v, string key) => v > 0 ? v : throw new ConfigException($"{key} must be positive, got {v}");
    private static double NonNegative(double v,
        string key) => v >= 0 ? v : throw new ConfigException($"{key} must not be negative, got {v}");
    private static int NonNegative(int v, string key) => v >= 0 ? v : throw new ConfigException($"{key} must not be negative, got {v}");
    private static double Within(double v, string key, double lo, double hi) =>
        v >= lo && v <= hi ? v : throw new ConfigException($"{key} must be in [{lo}, {hi}], got {v}");

    private static (int Lo, int Hi) BlurLimit(ParamReader p)
    {
        var k = Range(p, "blur_limit", [3, 7], symmetric: false);
        if (k.Length == 2 && k[0] == k[1] && p.Doubles("blur_limit", [3, 7]).Length == 1) k = [3, k[0]];
        if (k[0] < 1 || k[1] > 99) throw new ConfigException($"blur_limit must be within [1, 99], got [{k[0]}, {k[1]}]");
        if (!Enumerable.Range((int)k[0],
            (int)k[1] - (int)k[0] + 1).Any(x
            => x % 2 == 1)) throw new ConfigException($"blur_limit [{k[0]}, {k[1]}] holds no odd kernel size");
        return ((int)k[0], (int)k[1]);
    }

    private static int Bins(ParamReader p)
    {
        int bins = p.Int("num_magnitude_bins", 31);
        return bins >= 2 ? bins : throw new ConfigException($"num_magnitude_bins must be at least 2, got {bins}");
    }

    private static double? MaskFill(ParamReader p) => p.Raw("mask_fill_value") is null ? null : p.Double("mask_fill_value", 0);

    private static ITransform CoarseDropoutFactory(ParamReader p, BuildContext _)
    {
        int maxHoles = Positive(p.Int("max_holes", 8), "max_holes"), minHoles = Positive(p.Int("min_holes", maxHoles), "min_holes");
        double maxH = Positive(p.Double("max_height", 8), "max_height"), minH = Positive(p.Double("min_height", maxH), "min_height");
        double maxW = Positive(p.Double("max_width", 8), "max_width"), minW = Positive(p.Double("min_width", maxW), "min_width");
        if (minHoles > maxHoles || minH > maxH
            || minW > maxW) throw new ConfigException("min_holes/min_height/min_width must not exceed their max");
        return new CoarseDropout(minHoles, maxHoles, minH, maxH, minW, maxW, p.Double("fill_value", 0), MaskFill(p), P(p, 0.5));
    }

    /// <summary>[lo, hi] from a pair, or from a scalar v: [-v, v] when symmetric, else [v, v].</summary>
    private static double[] Range(ParamReader p, string key, double[] fallback, bool symmetric)
    {
        var v = p.Doubles(key, fallback);
        var r = v.Length == 1 ? (symmetric ? [-Math.Abs(v[0]), Math.Abs(v[0])] : [v[0], v[0]]) : v;
        if (r.Length != 2 || r[0] > r[1]) throw new ConfigException($"{key} must be a number or [min, max] with min <= max");
        return r;
    }

    private static BorderTypes Border(ParamReader p, string fallback = "constant") => p.String("border_mode", fallback) switch
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
