using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>Contrast-limited adaptive histogram equalisation on the L channel of LAB (or on gray).</summary>
[Transform("clahe")]
public sealed class Clahe(Clahe.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [Positive][OneNumber(OneNumber.UpTo, 1)] public Interval ClipLimit { get; init; } = new(1, 4);
        [Positive] public int TileGridSize { get; init; } = 8;
    }

    private readonly double clipLo = o.ClipLimit.Lo, clipHi = o.ClipLimit.Hi;
    private readonly int tile = o.TileGridSize;

    public Clahe() : this(new Options()) { }

    // in place
    protected override void Run(AugmentTarget t, Random rng) => Apply(t.Image, Sampling.Uniform(rng, clipLo, clipHi), tile, t.Image);

    public static Mat Apply(Mat img, double clipLimit, int tile, Mat? dst = null)
    {
        using var clahe = Cv2.CreateCLAHE(clipLimit, new Size(tile, tile));
        dst ??= new Mat();
        if (!Pixels.IsColour(img)) { clahe.Apply(img, dst); return dst; }
        using var lab = new Mat();
        Cv2.CvtColor(img, lab, ColorConversionCodes.RGB2Lab);
        var planes = Cv2.Split(lab);
        try
        {
            using var l = new Mat();
            clahe.Apply(planes[0], l);
            using var merged = new Mat();
            Cv2.Merge([l, planes[1], planes[2]], merged);
            Cv2.CvtColor(merged, dst, ColorConversionCodes.Lab2RGB);
            return dst;
        }
        finally { foreach (var q in planes) q.Dispose(); }
    }
}
