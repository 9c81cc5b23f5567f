using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Keeps the top <c>num_bits</c> bits of each value (bits uniform in the range).</summary>
[Transform("posterize")]
public sealed class Posterize(Posterize.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Within(1, 8)] public Interval NumBits { get; init; } = new(4, 4);
    }

    private readonly int bitsLo = (int)o.NumBits.Lo, bitsHi = (int)o.NumBits.Hi;

    public Posterize() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) => ApplyInPlace(t.Image, rng.Next(bitsLo, bitsHi + 1));

    /// <summary>Keeps the top <paramref name="bits"/> bits of every value of the (owned) image.</summary>
    public static void ApplyInPlace(Mat img, int bits) => Pixels.AndInPlace(img, (byte)(0xFF << (8 - bits)));
}
