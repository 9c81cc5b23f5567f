using OpenCvSharp;
using Podium.Ocr;
using TextPolygon = Podium.Augment.Polygon;

namespace Podium.Tests;

/// <summary>The ICDAR 2015 detection protocol on hand-worked cases (areas and IoUs computed by hand in the comments).</summary>
public class OcrEvaluationTests
{
    private static Point2d[] Rect(double x1, double y1, double x2, double y2) => [new(x1, y1), new(x2, y1), new(x2, y2), new(x1, y2)];
    private static TextPolygon Gt(double x1, double y1, double x2, double y2, string text = "word") => new(Rect(x1, y1, x2, y2), text);

    [Fact]
    public void ExactMatchAndIouJustAboveOrBelowOneHalf()
    {
        var exact = DetectionEvaluation.ScoreImage("a", [Gt(0, 0, 10, 10)], [Rect(0, 0, 10, 10)]);
        Assert.Equal((1, 1, 1.0, 1.0), (exact.Matched, exact.DetCare, exact.Precision, exact.Recall));
        // Shifted by s: IoU = 10(10 - s) / (200 - 10(10 - s)); s = 3.3 gives 67/133 = 0.504, s = 3.4 gives 66/134 = 0.493.
        Assert.Equal(1, DetectionEvaluation.ScoreImage("b", [Gt(0, 0, 10, 10)], [Rect(3.3, 0, 13.3, 10)]).Matched);
        Assert.Equal(0, DetectionEvaluation.ScoreImage("c", [Gt(0, 0, 10, 10)], [Rect(3.4, 0, 13.4, 10)]).Matched);
        // IoU exactly 0.5 is not a match (the protocol asks for more than 0.5): half of a 20x10 word.
        Assert.Equal(0, DetectionEvaluation.ScoreImage("d", [Gt(0, 0, 20, 10)], [Rect(0, 0, 10, 10)]).Matched);
        // A rotated quad: the same square turned by 90 degrees of vertex order still matches exactly.
        Assert.Equal(1, DetectionEvaluation.ScoreImage("e", [Gt(0, 0, 10, 10)],
            [[new(10, 0), new(10, 10), new(0, 10), new(0, 0)]]).Matched);
    }

    [Fact]
    public void SplitAndMergedDetectionsMatchOneToOne()
    {
        // One 20x10 word detected as two halves: each IoU 100/200 = 0.5, no match at all.
        var halves = DetectionEvaluation.ScoreImage("split", [Gt(0, 0, 20, 10)], [Rect(0, 0, 10, 10), Rect(10, 0, 20, 10)]);
        Assert.Equal((0, 2, 0.0, 0.0), (halves.Matched, halves.DetCare, halves.Precision, halves.Recall));
        // Split 15 + 5: the big piece has IoU 150/200 = 0.75 and matches; the small one is a false positive.
        var uneven = DetectionEvaluation.ScoreImage("split2", [Gt(0, 0, 20, 10)], [Rect(0, 0, 15, 10), Rect(15, 0, 20, 10)]);
        Assert.Equal((1, 0.5, 1.0), (uneven.Matched, uneven.Precision, uneven.Recall));
        // Two words merged into one detection: IoU 100/140 = 0.71 with the first, which takes it; the second is missed.
        var merged = DetectionEvaluation.ScoreImage("merged", [Gt(0, 0, 10, 10), Gt(12, 0, 14, 10)], [Rect(0, 0, 14, 10)]);
        Assert.Equal((1, 1.0, 0.5), (merged.Matched, merged.Precision, merged.Recall));
        // Two identical detections of one word: one matches, the duplicate is a false positive.
        var twice = DetectionEvaluation.ScoreImage("twice", [Gt(0, 0, 10, 10)], [Rect(0, 0, 10, 10), Rect(0, 0, 10, 10)]);
        Assert.Equal((1, 0.5, 1.0), (twice.Matched, twice.Precision, twice.Recall));
    }

    [Fact]
    public void DontCareRegionsNeitherCountNorPunish()
    {
        TextPolygon[] truth = [Gt(0, 0, 10, 10, "###"), Gt(20, 0, 30, 10)];
        // A detection inside the don't-care region is itself don't-care: precision unharmed.
        var inside = DetectionEvaluation.ScoreImage("in", truth, [Rect(0, 0, 10, 10), Rect(20, 0, 30, 10)]);
        Assert.Equal((1, 1, 1, 1, 1.0, 1.0), (inside.GtCare, inside.GtDontCare, inside.DetCare, inside.DetDontCare, inside.Precision,
            inside.Recall));
        // 60% of the detection's area inside: don't-care. Exactly 50%: cared for, so a false positive.
        Assert.Equal(1, DetectionEvaluation.ScoreImage("60", truth, [Rect(4, 0, 14, 10)]).DetDontCare);
        var half = DetectionEvaluation.ScoreImage("50", truth, [Rect(5, 0, 15, 10), Rect(20, 0, 30, 10)]);
        Assert.Equal((0, 2, 0.5), (half.DetDontCare, half.DetCare, half.Precision));
        // An image with only don't-care truth and no detections: recall 1, precision 1; with a stray detection: precision 0.
        var empty = DetectionEvaluation.ScoreImage("dc", [Gt(0, 0, 10, 10, "###")], []);
        Assert.Equal((1.0, 1.0), (empty.Precision, empty.Recall));
        Assert.Equal(0.0, DetectionEvaluation.ScoreImage("dc2", [Gt(0, 0, 10, 10, "###")], [Rect(50, 50, 60, 60)]).Precision);
    }

    [Fact]
    public void ScoresArePooledOverImagesAndFoldersPairByName()
    {
        var pooled = new DetectionScore([
            DetectionEvaluation.ScoreImage("1", [Gt(0, 0, 10, 10)], [Rect(0, 0, 10, 10)]),
            DetectionEvaluation.ScoreImage("2", [Gt(0, 0, 10, 10), Gt(20, 0, 30, 10)], []),
        ]);
        Assert.Equal((1.0, 1.0 / 3), (pooled.Precision, pooled.Recall));
        Assert.Equal(0.5, pooled.Hmean, 12);

        var root = TestEnv.TempDir("ocr-eval");
        Directory.CreateDirectory(Path.Combine(root, "gt"));
        Directory.CreateDirectory(Path.Combine(root, "pred"));
        // BOM, CRLF and a transcription with commas in the truth; confidences in the results.
        File.WriteAllText(Path.Combine(root, "gt", "gt_img_1.txt"),
            "\uFEFF0,0,10,0,10,10,0,10,TOTAL: 1,234.00\r\n20,0,30,0,30,10,20,10,###\r\n");
        File.WriteAllText(Path.Combine(root, "gt", "gt_img_2.txt"), "0,0,10,0,10,10,0,10,a\n");
        File.WriteAllText(Path.Combine(root, "gt", "gt_img_3.txt"), "0,0,10,0,10,10,0,10,b\n");
        File.WriteAllText(Path.Combine(root, "pred", "res_img_1.txt"), "0,0,10,0,10,10,0,10,0.97\n21,0,30,0,30,10,21,10,0.6\n");
        File.WriteAllText(Path.Combine(root, "pred", "img_2.txt"), "50,50,60,50,60,60,50,60\n");
        File.WriteAllText(Path.Combine(root, "pred", "res_img_9.txt"), "0,0,1,0,1,1\n");
        var (score, skipped, missing) = DetectionEvaluation.EvaluateFolders(Path.Combine(root, "gt"), Path.Combine(root, "pred"));
        Assert.Equal(1, missing); // img_3
        Assert.Contains(skipped, s => s.Problem == "result file without a truth file");
        Assert.Equal((1, 3, 2), (score.Matched, score.GtCare, score.DetCare)); // img_1's second detection is don't-care

        var cli = TestEnv.Podium(root, "ocr", "evaluate", "--gt", "gt", "--pred", "pred", "--out", "per_image.csv");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.Contains("3 images: precision 0.5000, recall 0.3333, hmean 0.4000", cli.Stdout);
        Assert.Contains("1 of 3 images have no result file", cli.Stdout);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(root, "per_image.csv")).Length);

        File.WriteAllText(Path.Combine(root, "pred", "img_3.txt"), "0,0,10,0\n");
        var bad = TestEnv.Podium(root, "ocr", "evaluate", "--gt", "gt", "--pred", "pred");
        Assert.True(bad.ExitCode == 0, bad.Stderr);
        Assert.Contains("a polygon needs at least 3 x,y pairs, got 2", bad.Stdout);
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "ocr", "evaluate", "--gt", "nope", "--pred", "pred"), "nope: no such folder");
    }
}
