using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Scales so the longest side is <c>max_size</c>, keeping the aspect ratio.</summary>
public sealed class LongestMaxSize(int maxSize, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        double s = (double)maxSize / Math.Max(t.Width, t.Height);
        Warp.Resize(t, Math.Max(1, (int)Math.Round(t.Width * s)), Math.Max(1, (int)Math.Round(t.Height * s)));
    }
}
