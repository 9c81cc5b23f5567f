using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Swaps rows and columns (the main-diagonal mirror).</summary>
[Transform("transpose")]
public sealed class Transpose(Transpose.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
    }

    public Transpose() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) =>
        Warp.Exact(t, (s, d) => Cv2.Transpose(s, d), (q, w, h) => new Point2d(q.Y, q.X));
}
