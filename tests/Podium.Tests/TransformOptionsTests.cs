using System.Globalization;
using System.Reflection;
using OpenCvSharp;
using Podium.Augment;
using Podium.Config;

namespace Podium.Tests;

/// <summary>
/// Every registered transform, made from a config and made in C#, is the same object: the same defaults, the same rules and
/// the same messages (issue 15: <c>color_jitter</c> from YAML and <c>new ColorJitter()</c> used to differ).
/// </summary>
public class TransformOptionsTests
{
    private const int ImgSize = 224; // data.img_size's default, which TestEnv.Transform's config leaves as it is

    public static TheoryData<string> Names() => [.. TransformRegistry.Names.Where(n => n != "normalize").Order()];

    [Theory]
    [MemberData(nameof(Names))]
    public void ConfigDefaultsEqualTheCSharpDefaults(string name)
    {
        var (type, optionsType) = TransformRegistry.Lookup(name);
        var fromYaml = TestEnv.Transform($"{name}: {{{Required(optionsType).TrimStart(',', ' ')}}}");
        var fromCSharp = Activator.CreateInstance(type, Defaults(optionsType))!;
        Assert.IsType(type, fromYaml);
        Assert.Equal(Describe(Settings(fromCSharp)), Describe(Settings(fromYaml)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryRuleFailsTheSameWayFromConfigAndFromCSharp(string name)
    {
        var (type, optionsType) = TransformRegistry.Lookup(name);
        int checkedRules = 0;
        foreach (var option in OptionRules.Properties(optionsType))
            foreach (var (yaml, value) in Violations(option))
            {
                var item = $"{name}: {{{option.Key}: {yaml}{Required(optionsType)}}}";
                var yamlError = Assert.Throws<ConfigException>(() => TestEnv.Transform(item));
                var options = Defaults(optionsType);
                option.Property.SetValue(options, value);
                var csharpError = Assert.Throws<TargetInvocationException>(() => Activator.CreateInstance(type, options)).InnerException;
                Assert.IsType<ConfigException>(csharpError);
                Assert.Equal($"augment.train[0].{name}: {csharpError.Message}", yamlError.Message);
                Assert.StartsWith(option.Key + " ", csharpError.Message);
                checkedRules++;
            }
        int stated = OptionRules.Properties(optionsType).Sum(o => o.Rules.Count);
        Assert.True(checkedRules >= stated, $"{name}: {checkedRules} violations tried for {stated} rules");
    }

    [Fact]
    public void TheDefaultsThatUsedToDifferAgree()
    {
        var jitter = new ColorJitter().Settings as ColorJitter.Options;
        Assert.Equal((0.2, 0.5), (jitter!.Hue, jitter.P));
        Assert.Equal(jitter, ((ColorJitter)TestEnv.Transform("color_jitter")).Settings);
        // min_holes defaults to max_holes both ways: always 5 holes of 8x8 (about 290 black pixels of 64x64, not ~3 holes' 185).
        var fromYaml = TestEnv.Transform("coarse_dropout: {max_holes: 5, p: 1}");
        var fromCSharp = new CoarseDropout(new() { MaxHoles = 5, P = 1 });
        var black = new List<int>();
        for (int seed = 0; seed < 20; seed++)
        {
            int Black(ITransform transform)
            {
                using var t = new AugmentTarget(new Mat(64, 64, MatType.CV_8UC1, Scalar.All(255)));
                transform.Apply(t, new Random(seed));
                return 64 * 64 - Cv2.CountNonZero(t.Image);
            }
            black.Add(Black(fromYaml));
            Assert.Equal(black[^1], Black(fromCSharp));
        }
        Assert.True(black.Average() > 250, $"mean black pixels {black.Average()}");
    }

    [Theory]
    [InlineData("affine: {rotate: 30}", "rotate", -30.0, 30.0)]
    [InlineData("affine: {scale: 1.2}", "scale", 1.2, 1.2)]
    [InlineData("clahe: {clip_limit: 3}", "clip_limit", 1.0, 3.0)]
    [InlineData("gaussian_blur: {blur_limit: 5}", "blur_limit", 3.0, 5.0)]
    [InlineData("posterize: {num_bits: 3}", "num_bits", 3.0, 3.0)]
    [InlineData("gauss_noise: {var_limit: [5, 9]}", "var_limit", 5.0, 9.0)]
    public void OneNumberRangesReadAsTheirOptionSays(string item, string key, double lo, double hi)
    {
        var settings = Settings(TestEnv.Transform(item));
        var option = OptionRules.Properties(settings.GetType()).Single(o => o.Key == key);
        Assert.Equal(new Interval(lo, hi), option.Property.GetValue(settings));
    }

    [Fact]
    public void SizesLeftUnsetTakeTheImageSizeInAConfigAndAreRequiredInCSharp()
    {
        static HeightWidth? Size(string item) => ((RandomResizedCrop.Options)((RandomTransform)TestEnv.Transform(item)).Settings).Size;
        Assert.Equal(new HeightWidth(ImgSize, ImgSize), Size("random_resized_crop"));
        Assert.Equal(new HeightWidth(32, 48), Size("random_resized_crop: {size: [32, 48]}"));
        var e = Assert.Throws<ConfigException>(() => new RandomCrop(new() { Height = 8 }));
        Assert.Equal("width must be set (a config file takes data.img_size)", e.Message);
    }

    [Fact]
    public void EnumsReadTheirSnakeCaseNames()
    {
        var rotate = (Rotate)TestEnv.Transform("rotate: {border_mode: reflect_101}");
        Assert.Equal(BorderMode.Reflect101, ((Rotate.Options)rotate.Settings).BorderMode);
        var e = Assert.Throws<ConfigException>(() => TestEnv.Transform("rotate: {border_mode: reflect101}"));
        Assert.Equal("augment.train[0].rotate: border_mode: unknown value 'reflect101' (did you mean 'reflect_101'? " +
            "one of: constant, reflect, reflect_101, replicate)", e.Message);
    }

    private static object Settings(object transform) =>
        transform.GetType().GetProperty("Settings")!.GetValue(transform)!;

    /// <summary>The C# defaults, with the sizes a config would take from data.img_size and a child for containers.</summary>
    private static ComponentOptions Defaults(Type optionsType)
    {
        var options = (ComponentOptions)Activator.CreateInstance(optionsType)!;
        foreach (var o in OptionRules.Properties(optionsType))
        {
            if (o.ImageSize)
            {
                bool pair = Nullable.GetUnderlyingType(o.Type) == typeof(HeightWidth);
                o.Property.SetValue(options, pair ? HeightWidth.Square(ImgSize) : ImgSize);
            }
            if (o.Type == typeof(IReadOnlyList<ITransform>)) o.Property.SetValue(options, new List<ITransform> { new HorizontalFlip() });
        }
        return options is Crop.Options crop ? crop with { XMax = 8, YMax = 8 } : options;
    }

    /// <summary>What a transform cannot do without: a container's children, a fixed crop's region (in YAML, after a comma).</summary>
    private static string Required(Type optionsType) => optionsType == typeof(Crop.Options) ? ", x_max: 8, y_max: 8" : Items(optionsType);

    private static bool IsContainer(Type optionsType) =>
        OptionRules.Properties(optionsType).Any(o => o.Type == typeof(IReadOnlyList<ITransform>));
    private static string Items(Type optionsType) => IsContainer(optionsType) ? ", transforms: [horizontal_flip]" : "";

    /// <summary>Values that break each rule stated on an option, as YAML text and as the C# value.</summary>
    private static IEnumerable<(string Yaml, object Value)> Violations(OptionProperty option)
    {
        var type = Nullable.GetUnderlyingType(option.Type) ?? option.Type;
        foreach (var bad in option.Rules.SelectMany(BadNumbers).Distinct())
        {
            string text = bad.ToString(CultureInfo.InvariantCulture);
            if (type == typeof(double)) yield return (text, bad);
            else if (type == typeof(int) && bad == Math.Floor(bad)) yield return (text, (int)bad);
            else if (type == typeof(Interval)) yield return ($"[{text}, {text}]", new Interval(bad, bad));
        }
    }

    private static IEnumerable<double> BadNumbers(RuleAttribute rule)
    {
        foreach (var v in new[] { -1e6, -1.5, -1, 0, 0.5, 1.5, 101, 1e6 })
            if (rule.Problem(v) is not null) yield return v;
    }

    /// <summary>An options record as key = value lines, nested transforms described by their own settings.</summary>
    private static string Describe(object options) => string.Join("\n", OptionRules.Properties(options.GetType()).Select(o =>
        $"{o.Key} = " + (o.Property.GetValue(options) switch
        {
            IReadOnlyList<ITransform> list => $"[{string.Join("; ", list.Select(t => $"{t.GetType().Name}{{{Describe(Settings(t))}}}"))}]",
            double[] a => "[" + string.Join(", ", a) + "]",
            var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "null",
        })));
}
