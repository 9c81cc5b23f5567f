using Podium.Augment;

namespace Podium.Tests;

/// <summary>Policy magnitudes against torchvision 0.14's _augmentation_space tables (image 200 wide, 100 high).</summary>
public class PolicyTests
{
    [Theory]
    [InlineData(PolicyOp.ShearX, 9, 31, false, 0.09)]
    [InlineData(PolicyOp.TranslateX, 9, 31, false, 27.190332412719727)]
    [InlineData(PolicyOp.TranslateY, 9, 31, false, 13.595166206359863)]
    [InlineData(PolicyOp.Rotate, 9, 31, false, 9.0)]
    [InlineData(PolicyOp.Brightness, 9, 31, false, 0.27)]
    [InlineData(PolicyOp.Posterize, 9, 31, false, 7)]
    [InlineData(PolicyOp.Solarize, 9, 31, false, 178.5)]
    [InlineData(PolicyOp.TranslateX, 30, 31, false, 90.63443756103516)]
    [InlineData(PolicyOp.Posterize, 30, 31, false, 4)]
    [InlineData(PolicyOp.Solarize, 30, 31, false, 0)]
    [InlineData(PolicyOp.ShearX, 17, 31, true, 0.561)]
    [InlineData(PolicyOp.TranslateY, 17, 31, true, 18.133333206176758)]
    [InlineData(PolicyOp.Rotate, 17, 31, true, 76.5)]
    [InlineData(PolicyOp.Posterize, 17, 31, true, 5)]
    [InlineData(PolicyOp.Solarize, 17, 31, true, 110.5)]
    [InlineData(PolicyOp.ShearX, 8, 10, false, 0.26666668)]
    [InlineData(PolicyOp.TranslateX, 8, 10, false, 80.5639419555664)]
    [InlineData(PolicyOp.Rotate, 8, 10, false, 26.666666)]
    [InlineData(PolicyOp.Posterize, 8, 10, false, 4)]
    [InlineData(PolicyOp.Solarize, 8, 10, false, 28.333334)]
    public void MagnitudesMatchTorchvision(PolicyOp op, int bin, int bins, bool wide, double expected) =>
        Assert.Equal(expected, PolicyOps.Magnitude(op, bin, bins, wide, w: 200, h: 100), 4); // torchvision works in float32

    [Fact]
    public void AutoContrastStretchesEachChannelToTheFullRange()
    {
        using var img = new OpenCvSharp.Mat(2, 2, OpenCvSharp.MatType.CV_8UC3, new OpenCvSharp.Scalar(50, 100, 7));
        img.Set(0, 0, new OpenCvSharp.Vec3b(150, 200, 7));
        using var out1 = PolicyOps.AutoContrast(img);
        Assert.Equal(new OpenCvSharp.Vec3b(255, 255, 7), out1.At<OpenCvSharp.Vec3b>(0, 0)); // a flat channel is left alone
        Assert.Equal(new OpenCvSharp.Vec3b(0, 0, 7), out1.At<OpenCvSharp.Vec3b>(1, 1));
    }
}
