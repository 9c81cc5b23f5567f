using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Podium.Augment;

/// <summary>255 − x.</summary>
public sealed class InvertImg(double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        Cv2.BitwiseNot(t.Image, t.Image); // in place: the target owns its image
    }
}
