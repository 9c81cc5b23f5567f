using OpenCvSharp;

namespace Podium.Augment;

/// <summary>The centre crop of a fixed size.</summary>
[Transform("center_crop")]
public sealed class CenterCrop(CenterCrop.Options o) : RandomTransform(o)
{
    public sealed record Options : CropSizeOptions;

    private readonly int height = o.Height ?? 0, width = o.Width ?? 0;

    public CenterCrop() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        RandomCrop.CheckFits(t, height, width, "center_crop");
        Warp.Crop(t, new Rect((t.Width - width) / 2, (t.Height - height) / 2, width, height));
    }
}
