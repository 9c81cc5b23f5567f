using OpenCvSharp;
using Podium.Ocr;

namespace Podium.Tests;

/// <summary>Detection TTA on a stand-in network whose probability map is the image itself: mirrored views must come back aligned.</summary>
public class DetectionTtaTests
{
    private sealed class ImageAsMap() : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>("ImageAsMap")
    {
        public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => x[.., ..1];
    }

    [Fact]
    public void MirroredAndScaledMapsAreAlignedBeforeTheyAreAveraged()
    {
        using var image = new Mat(128, 256, MatType.CV_8UC3, Scalar.All(0));
        Cv2.Rectangle(image, new Rect(20, 40, 80, 20), Scalar.All(255), -1); // a "text line" on the left only
        var options = new Podium.Config.OcrConfig { EvalSize = 256, UnclipRatio = 0 };
        var normalize = new Podium.Augment.Normalize([0, 0, 0], [1, 1, 1]);
        Podium.Ocr.DetectionResult Run(string? tta) =>
            new DbTextDetector(new ImageAsMap(), normalize, 3, options,
                TorchSharp.torch.CPU)
            { Tta = DbTextDetector.ParseTta(tta) }.Detect(image);
        var plain = Run(null);
        var merged = Run("hflip,scales=0.5:2");
        // Mirrored alone: a map not mirrored back would halve the line's probability to 0.5, under the 0.6 box threshold.
        var mirrored = Run("hflip");
        Assert.True(Assert.Single(mirrored.Regions).Score > 0.9);
        Assert.Single(plain.Regions);
        Assert.Single(merged.Regions);
        Assert.True(merged.Regions[0].Score > 0.9, $"{merged.Regions[0].Score}");
        // The merged region sits where the plain one does (a map not mirrored back would leave a second, weaker blob on the right).
        foreach (var f in new Func<OpenCvSharp.Point2d, double>[] { p => p.X, p => p.Y })
        {
            Assert.InRange(merged.Regions[0].Points.Min(f), plain.Regions[0].Points.Min(f) - 2, plain.Regions[0].Points.Min(f) + 2);
            Assert.InRange(merged.Regions[0].Points.Max(f), plain.Regions[0].Points.Max(f) - 2, plain.Regions[0].Points.Max(f) + 2);
        }
        Assert.True(plain.Regions[0].Points.Max(p => p.X) < 128);
    }
}
