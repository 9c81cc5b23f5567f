using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Permutes the colour channels at random.</summary>
[Transform("channel_shuffle")]
public sealed class ChannelShuffle(ChannelShuffle.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
    }

    public ChannelShuffle() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        if (!Pixels.IsColour(t.Image)) return;
        int[] order = [0, 1, 2];
        rng.Shuffle(order);
        var planes = Cv2.Split(t.Image);
        try
        {
            var dst = new Mat();
            Cv2.Merge(order.Select(i => planes[i]).ToArray(), dst);
            t.Replace(dst);
        }
        finally { foreach (var q in planes) q.Dispose(); }
    }
}
