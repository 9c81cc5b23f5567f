using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Rotates by k x 90° counter-clockwise, k uniform in 0..3 (as np.rot90).</summary>
[Transform("random_rotate90")]
public sealed class RandomRotate90(RandomRotate90.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
    }

    public RandomRotate90() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) => Rotate(t, rng.Next(4));

    public static void Rotate(AugmentTarget t, int k)
    {
        switch (k & 3)
        {
            case 1:
                Warp.Exact(t, (s, d) => Cv2.Rotate(s, d, RotateFlags.Rotate90Counterclockwise), (q, w, h) => new Point2d(q.Y, w - q.X));
                break;
            case 2: Warp.Exact(t, (s, d) => Cv2.Rotate(s, d, RotateFlags.Rotate180), (q, w, h) => new Point2d(w - q.X, h - q.Y)); break;
            case 3: Warp.Exact(t, (s, d) => Cv2.Rotate(s, d, RotateFlags.Rotate90Clockwise), (q, w, h) => new Point2d(h - q.Y, q.X)); break;
        }
    }
}
