using Podium.Data;
using Podium.Ocr;

namespace Podium.Tests;

/// <summary>DBNet's post-processing: boxes from a probability map, scores, unclipping; a round trip through the training targets on real
/// receipts.</summary>
public class DbPostProcessTests
{
    [Fact]
    public void BoxesComeFromTheMapScoredScaledAndFiltered()
    {
        int h = 60, w = 100;
        var p = new float[h * w];
        void Fill(int x1, int y1, int x2, int y2, float v)
        {
            for (int y = y1; y <= y2; y++) for (int x = x1; x <= x2; x++) p[y * w + x] = v;
        }
        Fill(10, 10, 49, 15, 0.9f);  // a line kernel
        Fill(60, 40, 89, 47, 0.8f);  // another
        Fill(10, 40, 29, 47, 0.45f); // over the binarization threshold but under the box threshold
        Fill(70, 5, 71, 6, 0.95f);   // 2 px: under the minimum size
        var found = DbPostProcess.Detect(p, h, w, imageHeight: 120, imageWidth: 200); // the image is twice the map
        Assert.Equal(2, found.Count);
        var first = found.OrderBy(f => f.Points[0].Y).First();
        Assert.Equal(0.9, first.Score, 5);
        // Kernel 39x5 (pixel centres 10..49, 10..15): A = 195, L = 88, D = 1.5·195/88 = 3.32; the rectangle grows to
        // 45.6 x 11.6 (round corners fitted by a rectangle again), twice that in the image, top-left first.
        Assert.InRange(first.Points[0].X, 2 * (10 - 3.4), 2 * (10 - 3.2));
        Assert.InRange(first.Points[2].X, 2 * (49 + 3.2), 2 * (49 + 3.4));
        Assert.True(first.Points[0].Y < first.Points[3].Y && first.Points[0].X < first.Points[1].X);
    }

    [Fact]
    public void TheInverseUnclipUndoesTheTrainingShrinkOfABox()
    {
        // 100x20: the shrink takes D = 7, leaving 86x6 (A' = 516, L' = 184); growing that by 7 with square corners gives back 2000 and 240.
        Assert.Equal(7.0, DbPostProcess.InverseShrink(516, 184, 0.4), 9);
        // DBNet's own rule, 1.5·A'/L', gives 4.2: the line comes back 14.4 px tall instead of 20.
        Assert.Equal(4.207, 1.5 * 516 / 184.0, 3);
    }

    [Fact]
    public void RoundTripThroughTheTargetsRecoversRealReceiptLines()
    {
        // A perfect probability map (the training target itself) of 20 receipts, post-processed and scored with the
        // ICDAR 2015 protocol: the ceiling each unclip rule allows. Long receipt lines shrink to 16% of their height, and
        // DBNet's 1.5 grows them back to about 58%, close to the IoU 0.5 limit; the inverse rule restores them.
        var sroie = DatasetReader.Open(Path.Combine(TestEnv.Datasets, "sroie")).Dataset;
        DetectionScore Run(double ratio)
        {
            var scores = new List<ImageDetectionScore>();
            for (int i = 0; i < 20; i++)
            {
                using var image = sroie.Read(i, 1);
                var polygons = sroie.Polygons(i)!;
                var t = DbTargets.Make(image.Rows, image.Cols, polygons);
                var found = DbPostProcess.Detect(t.Probability, image.Rows, image.Cols, image.Rows, image.Cols,
                    new DbPostProcessOptions(UnclipRatio: ratio));
                scores.Add(DetectionEvaluation.ScoreImage(i.ToString(), polygons, found.Select(f => f.Points).ToList()));
            }
            return new DetectionScore(scores);
        }
        var dbnet = Run(1.5);
        var inverse = Run(0);
        Assert.InRange(dbnet.Hmean, 0.88, 0.96);   // 0.925 here
        Assert.True(inverse.Hmean > 0.98, $"{inverse.Hmean}"); // 0.993
        Assert.True(inverse.Precision > 0.99, $"{inverse.Precision}");
    }
}
