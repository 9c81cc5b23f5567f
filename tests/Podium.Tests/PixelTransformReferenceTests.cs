using OpenCvSharp;
using Podium.Augment;
using Podium.Config;
using Podium.Data;

namespace Podium.Tests;

/// <summary>
/// Pixel transforms against OpenCV-Python: Fixtures/opencv/make_reference.py (Debian python3-opencv
/// 4.6) wrote the expected outputs for fixed parameters; Podium must agree within 1 grey level.
/// </summary>
public class PixelTransformReferenceTests
{
    private static string Fixture(string name) => Path.Combine(TestEnv.RepoRoot, "tests", "Podium.Tests", "Fixtures", "opencv",
        name + ".png");

    public static TheoryData<string> Cases => new()
    {
        "brightness_1.3", "contrast_0.7", "saturation_1.5", "hue_0.1", "brightness_contrast_0.1_-0.2", "hsv_10_-20_15",
        "rgb_shift_10_-15_20", "gamma_0.8", "clahe_2_8", "equalize", "posterize_3", "solarize_100", "sharpen_0.4_0.7",
        "gaussian_blur_5_1.2", "gaussian_blur_7_0", "median_blur_5", "jpeg_50", "downscale_0.5", "invert", "to_gray",
    };

    private static Mat Run(string name, Mat img) => name switch
    {
        "brightness_1.3" => ColorJitter.Brightness(img, 1.3),
        "contrast_0.7" => ColorJitter.Contrast(img, 0.7),
        "saturation_1.5" => ColorJitter.Saturation(img, 1.5),
        "hue_0.1" => ColorJitter.Hue(img, 0.1),
        "brightness_contrast_0.1_-0.2" => RandomBrightnessContrast.Apply(img, 0.1, -0.2),
        "hsv_10_-20_15" => HueSaturationValue.Apply(img, 10, -20, 15),
        "rgb_shift_10_-15_20" => RgbShift.Apply(img, 10, -15, 20),
        "gamma_0.8" => RandomGamma.Apply(img, 0.8),
        "clahe_2_8" => Clahe.Apply(img, 2.0, 8),
        "equalize" => Equalize.Apply(img),
        "posterize_3" => Apply(new Posterize(new() { NumBits = new(3, 3), P = 1 }), img),
        "solarize_100" => Solarize.Apply(img, 100),
        "sharpen_0.4_0.7" => Sharpen.Apply(img, 0.4, 0.7),
        "gaussian_blur_5_1.2" => GaussianBlur.Apply(img, 5, 1.2),
        "gaussian_blur_7_0" => GaussianBlur.Apply(img, 7, 0),
        "median_blur_5" => MedianBlur.Apply(img, 5),
        "jpeg_50" => ImageCompression.Apply(img, 50),
        "downscale_0.5" => Downscale.Apply(img, 0.5),
        "invert" => Apply(new InvertImg(new() { P = 1 }), img),
        "to_gray" => Apply(new ToGray(new() { P = 1 }), img),
        _ => throw new ArgumentException(name),
    };

    private static Mat Apply(ITransform t, Mat img)
    {
        var target = new AugmentTarget(img.Clone());
        t.Apply(target, new Random(0));
        return target.Image;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesOpenCvPythonWithinOneGreyLevel(string name)
    {
        using var input = ImageDecoder.Read(Fixture("input"), 3);
        using var expected = ImageDecoder.Read(Fixture(name), 3);
        using var actual = Run(name, input);
        Assert.Equal(expected.Size(), actual.Size());
        using var diff = new Mat();
        Cv2.Absdiff(expected, actual, diff);
        Cv2.MinMaxLoc(diff.Reshape(1), out _, out double worst);
        Assert.True(worst <= 1, $"{name}: max difference {worst} grey levels");
    }

    [Fact]
    public void EveryRegisteredPixelTransformRunsOnColourAndGrayAndIsSeeded()
    {
        string[] items =
        [
            "color_jitter: {hue: 0.1, p: 1}", "random_brightness_contrast: {p: 1}", "hue_saturation_value: {p: 1}", "rgb_shift: {p: 1}",
            "random_gamma: {p: 1}", "clahe: {p: 1}", "equalize: {p: 1}", "to_gray: {p: 1}", "channel_shuffle: {p: 1}", "invert_img: {p: 1}",
            "posterize: {num_bits: [2, 6], p: 1}", "solarize: {threshold: [64, 192], p: 1}", "sharpen: {p: 1}", "gaussian_blur: {p: 1}",
            "median_blur: {p: 1}", "motion_blur: {p: 1}", "gauss_noise: {p: 1}", "iso_noise: {p: 1}",
                "multiplicative_noise: {per_channel: true, elementwise: true, p: 1}",
            "multiplicative_noise: {p: 1}", "image_compression: {quality_range: [20, 60], p: 1}",
                "downscale: {scale_range: [0.3, 0.6], p: 1}",
            "coarse_dropout: {max_holes: 4, max_height: 0.2, max_width: 0.2, p: 1}", "cutout: {p: 1}", "grid_dropout: {p: 1}",
                "random_erasing: {p: 1}",
            .. DocumentDegradations,
        ];
        foreach (var item in items)
        {
            var transform = TestEnv.Transform(item);
            foreach (int channels in new[] { 3, 1 })
            {
                using var input = ImageDecoder.Read(Fixture("input"), channels);
                Mat Once(int seed) { var t = new AugmentTarget(input.Clone()); transform.Apply(t, new Random(seed)); return t.Image; }
                using var a = Once(5);
                using var b = Once(5);
                Assert.Equal((input.Size(), input.Type()), (a.Size(), a.Type()));
                using var diff = new Mat();
                Cv2.Absdiff(a, b, diff);
                Assert.True(Cv2.CountNonZero(diff.Reshape(1)) == 0, $"{item} ({channels} channels) is not reproducible from its seed");
                using var change = new Mat();
                Cv2.Absdiff(a, input, change);
                if (item is not ("to_gray: {p: 1}" or "channel_shuffle: {p: 1}" or "rgb_shift: {p: 1}" or "hue_saturation_value: {p: 1}" or
                    "iso_noise: {p: 1}") || channels == 3)
                    Assert.True(Cv2.CountNonZero(change.Reshape(1)) > 0 || item.StartsWith("channel_shuffle"),
                        $"{item} ({channels} channels) changed nothing");
            }
        }
    }

    private static readonly string[] DocumentDegradations =
    [
        "ink_bleed: {p: 1}", "low_ink_lines: {count: [5, 10], p: 1}", "dithering: {p: 1}", "paper_texture: {p: 1}",
            "lighting_gradient: {p: 1}",
        "dirty_rollers: {p: 1}", "bad_photocopy: {p: 1}", "folding: {p: 1}", "scribbles: {p: 1}",
    ];

    [Fact]
    public void DocumentDegradationsKeepTextPolygonsExactly()
    {
        var receipt = Directory.GetFiles(Path.Combine(TestEnv.Datasets, "sroie", "img"), "*.jpg").Order(StringComparer.Ordinal).First();
        Polygon[] words = [new([new(20.5, 30), new(180, 30), new(180, 52.25), new(20.5, 52.25)], "TOTAL"),
            new([new(40, 90), new(90, 95), new(85, 120)], "x")];
        foreach (var item in DocumentDegradations)
        {
            var transform = TestEnv.Transform(item);
            using var t = new AugmentTarget(ImageDecoder.Read(receipt, 3)).WithPolygons(words);
            var size = t.Image.Size();
            transform.Apply(t, new Random(3));
            Assert.Equal(size, t.Image.Size());
            Assert.Equal(words.Select(w => (w.Tag, string.Join(";", w.Points))),
                t.Polygons.Select(w => (w.Tag, string.Join(";", w.Points))));
        }
    }

    [Theory]
    [InlineData("gaussian_blur: {blur_limit: [4, 4]}", "blur_limit [4, 4] holds no odd kernel size")]
    [InlineData("color_jitter: {hue: 0.7}", "hue must be in [0, 0.5], got 0.7")]
    [InlineData("posterize: {num_bits: 9}", "num_bits must be in [1, 8], got 9")]
    [InlineData("coarse_dropout: {max_holes: -2}", "max_holes must be positive, got -2")]
    [InlineData("multiplicative_noise: {per_channel: maybe}", "parameter 'per_channel' has a bad value 'maybe'")]
    [InlineData("image_compression: {quality_range: [0, 50]}", "quality_range must be in [1, 100], got 0")]
    public void BadPixelParametersFailWithOneLine(string item, string expected)
    {
        var c = ConfigLoader.Parse($"data: {{train: x}}\naugment:\n  train:\n    - {item}\n", "t.yaml");
        var e = Assert.Throws<ConfigException>(() => Augment.Pipelines.Build(c, c.Augment.Train, "augment.train"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("augment.train[0].", e.Message);
    }
}
