using OpenCvSharp;

namespace Podium.Augment;

/// <summary>255 − x.</summary>
[Transform("invert_img")]
public sealed class InvertImg(InvertImg.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
    }

    public InvertImg() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        Cv2.BitwiseNot(t.Image, t.Image); // in place: the target owns its image
    }
}
