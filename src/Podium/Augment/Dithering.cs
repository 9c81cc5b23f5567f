using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Ordered (Bayer 4x4) dithering to black and white, as cheap printers and fax machines render grey.</summary>
[Transform("dithering")]
public sealed class Dithering(Dithering.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
    }

    public Dithering() : this(new Options()) { }

    private static readonly int[] Bayer = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

    protected override void Run(AugmentTarget t, Random rng)
    {
        using var gray = t.Image.Channels() == 1 ? t.Image.Clone() : t.Image.CvtColor(ColorConversionCodes.RGB2GRAY);
        int height = gray.Height, width = gray.Width;
        var pixels = new byte[height * width];
        System.Runtime.InteropServices.Marshal.Copy(gray.Data, pixels, 0, pixels.Length); // a fresh Mat is continuous
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                pixels[y * width + x] = (byte)(pixels[y * width + x] * 16 / 256 > Bayer[(y & 3) * 4 + (x & 3)] ? 255 : 0);
        var outGray = Mat.FromPixelData(height, width, MatType.CV_8UC1, pixels).Clone();
        if (t.Image.Channels() == 1) { t.Replace(outGray); return; }
        var dst = new Mat();
        Cv2.CvtColor(outGray, dst, ColorConversionCodes.GRAY2RGB);
        outGray.Dispose();
        t.Replace(dst);
    }
}
