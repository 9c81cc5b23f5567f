using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>A dirty scanner drum or rollers: thin dark streaks along one axis, with speckle.</summary>
[Transform("dirty_rollers")]
public sealed class DirtyRollers(DirtyRollers.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [NonNegative] public Interval Count { get; init; } = new(4, 15);
    }

    private readonly int countLo = (int)o.Count.Lo, countHi = (int)o.Count.Hi;

    public DirtyRollers() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        bool vertical = rng.Next(2) == 0;
        var dst = t.Image.Clone();
        for (int i = rng.Next(countLo, countHi + 1); i > 0; i--)
        {
            double darkness = Sampling.Uniform(rng, 0.2, 0.7);
            int width = rng.Next(1, 3);
            int at = rng.Next(vertical ? t.Width : t.Height);
            var r = vertical ? new Rect(at, 0, Math.Min(width, t.Width - at), t.Height) : new Rect(0, at, t.Width, Math.Min(width,
                t.Height - at));
            using var band = new Mat(dst, r);
            using var noise = new Mat(r.Size, MatType.CV_32FC1);
            new RNG((ulong)rng.NextInt64()).Fill(noise, DistributionType.Uniform, Scalar.All(1 - darkness), Scalar.All(1));
            using var darker = Doc.Multiply(band, noise);
            darker.CopyTo(band);
        }
        t.Replace(dst);
    }
}
