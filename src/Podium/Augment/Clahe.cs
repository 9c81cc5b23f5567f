using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Contrast-limited adaptive histogram equalisation on the L channel of LAB (or on gray).</summary>
public sealed class Clahe(double clipLo = 1, double clipHi = 4, int tile = 8, double p = 0.5) : RandomTransform(p)
{
    // in place
    protected override void Run(AugmentTarget t, Random rng) => Apply(t.Image, Sampling.Uniform(rng, clipLo, clipHi), tile, t.Image);

    public static Mat Apply(Mat img, double clipLimit, int tile, Mat? dst = null)
    {
        using var clahe = Cv2.CreateCLAHE(clipLimit, new Size(tile, tile));
        dst ??= new Mat();
        if (!Pixels.IsColour(img)) { clahe.Apply(img, dst); return dst; }
        using var lab = new Mat();
        Cv2.CvtColor(img, lab, ColorConversionCodes.RGB2Lab);
        var planes = Cv2.Split(lab);
        try
        {
            using var l = new Mat();
            clahe.Apply(planes[0], l);
            using var merged = new Mat();
            Cv2.Merge([l, planes[1], planes[2]], merged);
            Cv2.CvtColor(merged, dst, ColorConversionCodes.Lab2RGB);
            return dst;
        }
        finally { foreach (var q in planes) q.Dispose(); }
    }
}
