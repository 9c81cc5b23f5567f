using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Keeps the top <c>num_bits</c> bits of each value (bits uniform in the range).</summary>
public sealed class Posterize(int bitsLo = 4, int bitsHi = 4, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) => ApplyInPlace(t.Image, rng.Next(bitsLo, bitsHi + 1));

    /// <summary>Keeps the top <paramref name="bits"/> bits of every value of the (owned) image.</summary>
    public static void ApplyInPlace(Mat img, int bits) => Pixels.AndInPlace(img, (byte)(0xFF << (8 - bits)));
}
