using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Mirrors top-bottom with probability <c>p</c>.</summary>
public sealed class VerticalFlip(double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) =>
        Warp.Exact(t, m => { Pixels.FlipRowsInPlace(m); return m; }, (q, w, h) => new Point2d(q.X, h - q.Y));
}
