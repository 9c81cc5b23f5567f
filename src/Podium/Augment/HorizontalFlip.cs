using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Mirrors left-right with probability <c>p</c>.</summary>
[Transform("horizontal_flip")]
public sealed class HorizontalFlip(HorizontalFlip.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
    }

    public HorizontalFlip() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) =>
        Warp.Exact(t, (s, d) => Cv2.Flip(s, d, FlipMode.Y), (q, w, h) => new Point2d(w - q.X, q.Y));
}
