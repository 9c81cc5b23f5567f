using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Swaps rows and columns (the main-diagonal mirror).</summary>
public sealed class Transpose(double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) =>
        Warp.Exact(t, (s, d) => Cv2.Transpose(s, d), (q, w, h) => new Point2d(q.Y, q.X));
}
