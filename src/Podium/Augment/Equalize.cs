using OpenCvSharp;

namespace Podium.Augment;

/// <summary>Histogram equalisation of each channel.</summary>
[Transform("equalize")]
public sealed class Equalize(Equalize.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
    }

    public Equalize() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng) => Apply(t.Image, t.Image); // in place: the target owns it

    public static Mat Apply(Mat img, Mat? dst = null) => Pixels.PerChannel(img, q => Cv2.EqualizeHist(q, q), dst);
}
