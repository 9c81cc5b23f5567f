using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Grayscale, kept with the image's channel count.</summary>
public sealed class ToGray(double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        if (Pixels.IsColour(t.Image)) Pixels.Gray3(t.Image, t.Image); // in place: the target owns it
    }
}
