using Podium.Data;
using Podium.Ocr;
using TextPolygon = Podium.Augment.Polygon;

namespace Podium.Tests;

/// <summary>DBNet's targets: shrink and grow by D = A(1 − r²)/L, the threshold band, ignored regions; on a hand-worked box and on a real
/// receipt.</summary>
public class DbTargetTests
{
    [Fact]
    public void ABoxShrinksAndGrowsByTheOffsetDistance()
    {
        // A 100x20 box: A = 2000, L = 240, D = 2000 (1 - 0.16) / 240 = 7.
        var box = new TextPolygon([new(50, 40), new(150, 40), new(150, 60), new(50, 60)], "word");
        Assert.Equal(7.0, DbTargets.OffsetDistance(2000, 240, 0.4), 12);
        var t = DbTargets.Make(100, 200, [box]);
        float P(int x, int y) => t.Probability[y * 200 + x];
        float T(int x, int y) => t.Threshold[y * 200 + x];
        // Shrunk to 86x6 from (57, 47) to (143, 53): OpenCV fills both end rows and columns, 87 x 7 pixels.
        Assert.Equal(87 * 7, t.Probability.Count(v => v > 0));
        Assert.Equal((1f, 0f, 0f), (P(100, 50), P(100, 45), P(55, 50)));
        // On the border 0.7, D or more inside or outside 0.3, halfway (3.5 px) 0.5: 0.3 + 0.4 (1 - d/D).
        Assert.Equal(0.7f, T(50, 50), 5);
        Assert.Equal(0.3f, T(100, 50), 5);
        Assert.Equal(0.3f + 0.4f * (1 - 3 / 7f), T(100, 63), 5);
        // The band is the box grown by 7 (round corners): about (100 + 14)(20 + 14) - (4 - π) 49 pixels.
        Assert.InRange(t.ThresholdMask.Count(v => v > 0), 3800, 4050);
        Assert.All(Enumerable.Range(0, t.Probability.Length).Where(i => t.Probability[i] > 0), i => Assert.Equal(1f, t.ThresholdMask[i]));
        Assert.Equal(0, t.Ignored);
        Assert.All(t.ProbabilityMask, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void DontCareTinyAndDegeneratePolygonsAreMaskedOut()
    {
        TextPolygon[] regions =
        [
            new([new(10, 10), new(60, 10), new(60, 30), new(10, 30)], "###"),
            new([new(100, 10), new(160, 10), new(160, 15), new(100, 15)], "tiny"),   // 5 px high: under min_text_size 8
            new([new(10, 60), new(80, 60), new(10, 60.0001), new(80, 60.0001)], "bow-tie"),
        ];
        var t = DbTargets.Make(100, 200, regions);
        Assert.Equal(3, t.Ignored);
        Assert.All(t.Probability, v => Assert.Equal(0f, v));
        Assert.Equal(0f, t.ProbabilityMask[20 * 200 + 30]);
        Assert.Equal(0f, t.ProbabilityMask[12 * 200 + 130]);
        Assert.Equal(1f, t.ProbabilityMask[50 * 200 + 150]);
    }

    [Fact]
    public void ARealReceiptsTargetsCoverItsTextLines()
    {
        var sroie = DatasetReader.Open(Path.Combine(TestEnv.Datasets, "sroie")).Dataset;
        using var image = sroie.Read(0, 3);
        var polygons = sroie.Polygons(0)!;
        var t = DbTargets.Make(image.Rows, image.Cols, polygons);
        Assert.Equal(0, t.Ignored);
        int text = t.Probability.Count(v => v > 0), band = t.ThresholdMask.Count(v => v > 0);
        double area = polygons.Sum(p => p.Area);
        // Text lines shrink to well under their area (D is 0.42 of a line's height) and the band holds more than the lines.
        Assert.InRange(text, 0.1 * area, 0.5 * area);
        Assert.InRange(band, 1.2 * area, 2.5 * area);
        Assert.All(Enumerable.Range(0, t.Probability.Length).Where(i => t.Probability[i] > 0), i => Assert.Equal(1f, t.ThresholdMask[i]));

        // Drawn in place into a reused batch buffer (stale values everywhere, another sample's slot before it): the same maps.
        int plane = image.Rows * image.Cols;
        var buffer = Enumerable.Repeat(5f, 9 * plane).ToArray();
        Assert.Equal(0, DbTargets.Fill(image.Rows, image.Cols, polygons, new DbTargetOptions(), buffer, 5 * plane));
        Assert.Equal([.. t.Probability, .. t.ProbabilityMask, .. t.Threshold, .. t.ThresholdMask], buffer[(5 * plane)..]);
        Assert.All(buffer[..(5 * plane)], v => Assert.Equal(5f, v));

        var root = TestEnv.TempDir("ocr-targets");
        var cli = TestEnv.Podium(root, "ocr", "targets", Path.Combine(TestEnv.Datasets, "sroie"), "-n", "2", "--out", "t");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(root, "t"), "*_targets.png").Length);
        Assert.Contains("regions (0 ignored)", cli.Stdout);
    }
}
