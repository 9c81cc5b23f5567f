using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Mirrors left-right with probability <c>p</c>.</summary>
public sealed class HorizontalFlip(double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng) =>
        Warp.Exact(t, (s, d) => Cv2.Flip(s, d, FlipMode.Y), (q, w, h) => new Point2d(w - q.X, q.Y));
}
