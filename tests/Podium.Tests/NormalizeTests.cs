using OpenCvSharp;
using Podium.Augment;

namespace Podium.Tests;

public class NormalizeTests
{
    [Fact]
    public void WritesChwPlanesNormalisedPerChannel()
    {
        using var img = new Mat(2, 3, MatType.CV_8UC3);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
                img.Set(y, x, new Vec3b((byte)(10 * x + y), (byte)(100 + x), (byte)(200 + y)));
        var buffer = new float[3 * 2 * 3];
        double[] mean = [0.5, 0.4, 0.3], std = [0.2, 0.25, 0.5];
        new Normalize(mean, std).WriteChw(img, buffer);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
            {
                var px = img.At<Vec3b>(y, x);
                for (int c = 0; c < 3; c++)
                {
                    double expected = (px[c] / 255.0 - mean[c]) / std[c];
                    Assert.Equal(expected, buffer[c * 6 + y * 3 + x], 4);
                }
            }
    }
}
