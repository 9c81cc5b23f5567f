using Podium.Config;

namespace Podium.Augment;

/// <summary>Scales so the longest side is <c>max_size</c>, keeping the aspect ratio.</summary>
[Transform("longest_max_size")]
public sealed class LongestMaxSize(LongestMaxSize.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [ImageSize, Positive] public int? MaxSize { get; init; }
        public Options() => P = 1;
    }

    private readonly int maxSize = o.MaxSize ?? 0;

    public LongestMaxSize() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        double s = (double)maxSize / Math.Max(t.Width, t.Height);
        Warp.Resize(t, Math.Max(1, (int)Math.Round(t.Width * s)), Math.Max(1, (int)Math.Round(t.Height * s)));
    }
}
