using OpenCvSharp;

namespace Podium.Augment;

/// <summary>The centre crop of a fixed size.</summary>
public sealed class CenterCrop(int height, int width, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        RandomCrop.CheckFits(t, height, width, "center_crop");
        Warp.Crop(t, new Rect((t.Width - width) / 2, (t.Height - height) / 2, width, height));
    }
}
