using OpenCvSharp;
using Podium.Augment;

namespace Podium.Tests;

/// <summary>Geometric transforms move masks, polygons, keypoints and boxes exactly as they move pixels.</summary>
public class GeometricTargetTests
{
    // Big enough that one boundary pixel does not decide the IoU after the strongest downscale below.
    private static readonly Polygon Quad = new([new(161.2, 120.8), new(370.8, 144.4), new(353.6, 283.6), new(142.4, 250.0)], "text");

    /// <summary>Fills the pixels whose centres lie inside the polygon (continuous coordinates).</summary>
    private static Mat Render(Polygon p, int w, int h)
    {
        var mask = new Mat(h, w, MatType.CV_8UC1, Scalar.All(0));
        const int shift = 8;
        var pts = p.Points.Select(q => new Point((int)Math.Round((q.X - 0.5) * (1 << shift)),
            (int)Math.Round((q.Y - 0.5) * (1 << shift)))).ToArray();
        Cv2.FillPoly(mask, [pts], Scalar.All(255), LineTypes.Link8, shift);
        return mask;
    }

    private static double IoU(Mat a, Mat b)
    {
        using var and = new Mat();
        using var or = new Mat();
        Cv2.BitwiseAnd(a, b, and);
        Cv2.BitwiseOr(a, b, or);
        return (double)Cv2.CountNonZero(and) / Math.Max(1, Cv2.CountNonZero(or));
    }

    private static AugmentTarget Target(int w = 512, int h = 384)
    {
        var image = new Mat(h, w, MatType.CV_8UC3);
        Cv2.Randu(image, Scalar.All(0), Scalar.All(255));
        return new AugmentTarget(image).WithMask(Render(Quad, w, h)).WithPolygons([Quad]);
    }

    public static TheoryData<string> Geometric => new()
    {
        "horizontal_flip: {p: 1}", "vertical_flip: {p: 1}", "transpose: {p: 1}", "random_rotate90: {p: 1}",
        "rotate: {limit: 40, p: 1}", "affine: {scale: [0.7, 1.3], translate_percent: 0.1, rotate: 30, shear: 12, p: 1}",
        "shift_scale_rotate: {p: 1}", "perspective: {scale: [0.05, 0.12], p: 1}",
        "random_resized_crop: {size: [320, 400], scale: [0.6, 1]}", "random_crop: {height: 320, width: 440}",
        "center_crop: {height: 280, width: 360}", "pad_if_needed: {min_height: 600, min_width: 560}", "resize: {size: [200, 680]}",
        "longest_max_size: {max_size: 900}", "smallest_max_size: {max_size: 160}",
        "one_of: {p: 1, transforms: [rotate: {limit: 20, p: 1}, perspective: {p: 1}]}",
        "rand_augment: {n: 3, m: 12}", "trivial_augment_wide", "auto_augment",
        "random_sized_crop: {min_max_height: [250, 380], size: [300, 300], w2h_ratio: 1.2}",
        "crop_non_empty_mask_if_exists: {height: 200, width: 240}",
        "grid_distortion: {num_steps: 5, distort_limit: 0.3, p: 1}", "elastic_transform: {alpha: 30, sigma: 12, p: 1}",
    };

    private static ITransform Build(string item) => TestEnv.Transform(item);

    [Theory]
    [MemberData(nameof(Geometric))]
    public void PolygonsFollowTheMaskWithIoUAbove095(string item)
    {
        var transform = Build(item);
        for (int seed = 0; seed < 12; seed++)
        {
            using var t = Target();
            transform.Apply(t, new Random(seed));
            Assert.Equal((t.Width, t.Height), (t.Mask!.Width, t.Mask.Height));
            var polygon = Assert.Single(t.Polygons);
            Assert.Equal("text", polygon.Tag);
            using var rendered = Render(polygon, t.Width, t.Height);
            using var binary = t.Mask.Threshold(127, 255, ThresholdTypes.Binary);
            double iou = IoU(rendered, binary);
            Assert.True(iou > 0.95, $"{item} seed {seed}: IoU {iou:F3}");
        }
    }

    [Theory]
    [InlineData("horizontal_flip: {p: 1}", 2)]
    [InlineData("vertical_flip: {p: 1}", 2)]
    [InlineData("transpose: {p: 1}", 2)]
    public void FlipsAndTransposeAreExactInvolutions(string item, int times)
    {
        using var t = Target();
        t.WithKeypoints([new(10.25, 20.5)]).WithBoxes([new Box(5, 6, 50, 40, 3)]);
        using var original = t.Image.Clone();
        var transform = Build(item);
        var once = Clone(t);
        for (int i = 0; i < times; i++) transform.Apply(t, new Random(i));
        AssertSame(original, Quad.Points, t);
        Assert.Equal(new Point2d(10.25, 20.5), Assert.Single(t.Keypoints));
        Assert.Equal(new Box(5, 6, 50, 40, 3), Assert.Single(t.Boxes));
        once.Dispose();
    }

    [Fact]
    public void Rot90FourTimesIsTheIdentityAndOneTurnMovesCornersExactly()
    {
        using var t = Target();
        t.WithBoxes([new Box(0, 0, 10, 20)]).WithKeypoints([new(511.5, 0.5)]);
        using var original = t.Image.Clone();
        RandomRotate90.Rotate(t, 1); // counter-clockwise: the top-right corner goes to the top-left
        Assert.Equal((384, 512), (t.Width, t.Height));
        Assert.Equal(original.At<Vec3b>(0, 511), t.Image.At<Vec3b>(0, 0));
        Assert.Equal(new Point2d(0.5, 0.5), t.Keypoints[0]);
        Assert.Equal(new Box(0, 502, 20, 512), t.Boxes[0]);
        for (int i = 0; i < 3; i++) RandomRotate90.Rotate(t, 1);
        AssertSame(original, Quad.Points, t);
        Assert.Equal(new Box(0, 0, 10, 20), t.Boxes[0]);
    }

    [Fact]
    public void GeometryLeavingTheImageIsClippedOrDroppedByRule()
    {
        using var t = new AugmentTarget(new Mat(100, 100, MatType.CV_8UC3, Scalar.All(0)))
        {
            Rules = new TargetRules(MinArea: 5, MinVisibility: 0.5),
        };
        t.WithBoxes([new Box(10, 10, 30, 30, 1), new Box(40, 40, 60, 60, 2), new Box(45, 45, 48, 48, 3)])
         .WithPolygons([new Polygon([new(10, 10), new(30, 10), new(30, 30), new(10, 30)], "a"),
             new Polygon([new(40, 40), new(60, 40), new(60, 60), new(40, 60)], "b")])
         .WithKeypoints([new(20, 20), new(80, 80)]);
        Warp.Crop(t, new Rect(24, 0, 76, 100)); // keeps 30% of box/polygon 1, all of 2
        Assert.Equal([2, 3], t.Boxes.Select(b => b.Label));
        Assert.Equal(new Box(16, 40, 36, 60, 2), t.Boxes[0]);
        Assert.Equal("b", Assert.Single(t.Polygons).Tag);
        Assert.Equal(new Point2d(56, 80), Assert.Single(t.Keypoints));

        t.Rules = new TargetRules(MinArea: 1, MinVisibility: 0);
        Warp.Crop(t, new Rect(26, 0, 50, 100)); // cuts the remaining square at x = 26 of the old frame
        Assert.Equal(new Box(0, 40, 10, 60, 2), t.Boxes[0]);
        Assert.Equal(200, Assert.Single(t.Polygons).Area, 9);
    }

    [Fact]
    public void PolygonsWithFewerThanThreePointsAreRefused()
    {
        using var t = new AugmentTarget(new Mat(10, 10, MatType.CV_8UC3));
        var e = Assert.Throws<PodiumException>(() => t.WithPolygons([new Polygon([new(1, 1), new(2, 2)], "ab")]));
        Assert.Equal("polygon 'ab' has 2 points; at least 3 are needed", e.Message);
    }

    [Theory]
    [InlineData("resize: {size: -4}", "augment.train[0].resize: size must be a positive number")]
    [InlineData("random_crop: {height: 0, width: 5}", "augment.train[0].random_crop: height must be positive, got 0")]
    [InlineData("rotate: {border_mode: wrap}", "augment.train[0].rotate: border_mode: unknown value 'wrap'")]
    [InlineData("one_of: {p: 1}", "augment.train[0].one_of: needs transforms: [...]")]
    [InlineData("one_of: {transforms: [flip: {}]}", "augment.train[0].one_of.transforms[0]: unknown transform 'flip'")]
    [InlineData("some_of: {n: 3, transforms: [vertical_flip]}", "augment.train[0].some_of: n must be between 0 and 1, got 3")]
    [InlineData("affine: {rotate: [30, -30]}", "augment.train[0].affine: rotate must be a number or [min, max] with min <= max")]
    [InlineData("vertical_flip: {p: -0.1}", "augment.train[0].vertical_flip: p must be in [0, 1], got -0.1")]
    public void BadGeometricParametersFailWithOneLine(string item, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => Build(item));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void RandomCropLargerThanTheImageSaysToPadFirst()
    {
        using var t = Target();
        var e = Assert.Throws<PodiumException>(() => Build("random_crop: {height: 400, width: 50}").Apply(t, new Random(0)));
        Assert.Equal("random_crop: crop 50x400 is larger than the image 512x384; put pad_if_needed before it", e.Message);
    }

    [Fact]
    public void SomeOfAppliesExactlyNDistinctTransforms()
    {
        var counts = new int[3];
        var transforms = Enumerable.Range(0, 3).Select(i => (ITransform)new Counting(() => counts[i]++)).ToList();
        var someOf = new SomeOf(new() { Transforms = transforms, N = 2 });
        using var t = Target();
        for (int s = 0; s < 300; s++) someOf.Apply(t, new Random(s));
        Assert.Equal(600, counts.Sum());
        Assert.All(counts, c => Assert.InRange(c, 150, 250));
    }

    private sealed class Counting(Action onApply) : ITransform
    {
        public void Apply(AugmentTarget target, Random rng) => onApply();
    }

    private static AugmentTarget Clone(AugmentTarget t) => new AugmentTarget(t.Image.Clone()).WithPolygons(t.Polygons);

    private static void AssertSame(Mat original, Point2d[] polygon, AugmentTarget t)
    {
        Assert.Equal((original.Width, original.Height), (t.Width, t.Height));
        using var diff = new Mat();
        Cv2.Absdiff(original, t.Image, diff);
        Assert.Equal(0, Cv2.CountNonZero(diff.Reshape(1)));
        var p = Assert.Single(t.Polygons).Points;
        Assert.Equal(polygon.Length, p.Length);
        for (int i = 0; i < p.Length; i++)
        {
            Assert.Equal(polygon[i].X, p[i].X, 9);
            Assert.Equal(polygon[i].Y, p[i].Y, 9);
        }
    }
}
