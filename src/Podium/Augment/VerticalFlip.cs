using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Mirrors top-bottom with probability <c>p</c>.</summary>
[Transform("vertical_flip")]
public sealed class VerticalFlip(VerticalFlip.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
    }

    public VerticalFlip() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) =>
        Warp.Exact(t, m => { Pixels.FlipRowsInPlace(m); return m; }, (q, w, h) => new Point2d(q.X, h - q.Y));
}
