using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Histogram equalisation of each channel.</summary>
public sealed class Equalize(double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) => Apply(t.Image, t.Image); // in place: the target owns it

    public static Mat Apply(Mat img, Mat? dst = null) => Pixels.PerChannel(img, q => Cv2.EqualizeHist(q, q), dst);
}
