using OpenCvSharp;

namespace Podium.Augment;

/// <summary>The operations of the automatic augmentation policies, with torchvision's magnitude spaces.</summary>
public enum PolicyOp
{
    Identity, ShearX, ShearY, TranslateX, TranslateY, Rotate, Brightness, Color, Contrast, Sharpness,
    Posterize, Solarize, AutoContrast, Equalize, Invert,
}

public static class PolicyOps
{
    /// <summary>Whether the op's magnitude gets a random sign (torchvision's "signed" flag).</summary>
    public static bool Signed(PolicyOp op) => op is PolicyOp.ShearX or PolicyOp.ShearY or PolicyOp.TranslateX or PolicyOp.TranslateY
        or PolicyOp.Rotate or PolicyOp.Brightness or PolicyOp.Color or PolicyOp.Contrast or PolicyOp.Sharpness;

    /// <summary>
    /// The magnitude of <paramref name="op"/> at bin <paramref name="bin"/> of <paramref name="bins"/>, as torchvision's
    /// RandAugment (wide: false, the AutoAugment/RandAugment papers' ranges) or TrivialAugmentWide (wide: true) defines it.
    /// Translations are in pixels for an image of <paramref name="w"/> x <paramref name="h"/>.
    /// </summary>
    public static double Magnitude(PolicyOp op, int bin, int bins, bool wide, int w, int h)
    {
        double Lin(double hi, double lo = 0) => bins == 1 ? lo : lo + (hi - lo) * bin / (bins - 1);
        return op switch
        {
            PolicyOp.ShearX or PolicyOp.ShearY => Lin(wide ? 0.99 : 0.3),
            PolicyOp.TranslateX => wide ? Lin(32) : Lin(150.0 / 331 * w),
            PolicyOp.TranslateY => wide ? Lin(32) : Lin(150.0 / 331 * h),
            PolicyOp.Rotate => Lin(wide ? 135 : 30),
            PolicyOp.Brightness or PolicyOp.Color or PolicyOp.Contrast or PolicyOp.Sharpness => Lin(wide ? 0.99 : 0.9),
            PolicyOp.Posterize => 8 - (int)Math.Round(bin / ((bins - 1) / (wide ? 6.0 : 4.0)), MidpointRounding.ToEven),
            PolicyOp.Solarize => Lin(0, 255),
            _ => 0,
        };
    }

    /// <summary>Applies one op with a (signed) magnitude to every target; geometric ops move masks and polygons too.</summary>
    public static void Apply(AugmentTarget t, PolicyOp op, double m)
    {
        switch (op)
        {
            // Shears about the origin and translations as torchvision applies them; rotation about the centre.
            case PolicyOp.ShearX: Warp.Apply(t, [1, m, 0, 0, 1, 0, 0, 0, 1], t.Width, t.Height); break;
            case PolicyOp.ShearY: Warp.Apply(t, [1, 0, 0, m, 1, 0, 0, 0, 1], t.Width, t.Height); break;
            case PolicyOp.TranslateX: Warp.Apply(t, Warp.Translation(m, 0), t.Width, t.Height); break;
            case PolicyOp.TranslateY: Warp.Apply(t, Warp.Translation(0, m), t.Width, t.Height); break;
            case PolicyOp.Rotate: Warp.Apply(t, Warp.Affine(t.Width / 2.0, t.Height / 2.0, m, 1), t.Width, t.Height); break;
            case PolicyOp.Brightness: t.Replace(ColorJitter.Brightness(t.Image, 1 + m)); break;
            case PolicyOp.Color: if (Pixels.IsColour(t.Image)) t.Replace(ColorJitter.Saturation(t.Image, 1 + m)); break;
            case PolicyOp.Contrast: t.Replace(ColorJitter.Contrast(t.Image, 1 + m)); break;
            case PolicyOp.Sharpness: t.Replace(Sharpness(t.Image, 1 + m)); break;
            case PolicyOp.Posterize: Posterize.ApplyInPlace(t.Image, (int)m); break;
            case PolicyOp.Solarize: t.Replace(Solarize.Apply(t.Image, m)); break;
            case PolicyOp.AutoContrast: t.Replace(AutoContrast(t.Image)); break;
            case PolicyOp.Equalize: t.Replace(Equalize.Apply(t.Image)); break;
            case PolicyOp.Invert: { var d = new Mat(); Cv2.BitwiseNot(t.Image, d); t.Replace(d); break; }
        }
    }

    /// <summary>PIL's ImageEnhance.Sharpness: a blend with the SMOOTH-filtered image, borders kept.</summary>
    public static Mat Sharpness(Mat img, double factor)
    {
        using var kernel = Mat.FromPixelData(3, 3, MatType.CV_32FC1, new float[] { 1 / 13f, 1 / 13f, 1 / 13f, 1 / 13f, 5 / 13f, 1 / 13f, 1 / 13f, 1 / 13f, 1 / 13f });
        using var smooth = new Mat();
        Cv2.Filter2D(img, smooth, -1, kernel);
        // The one-pixel border stays as it was (PIL and torchvision leave it unfiltered).
        var border = new Rect(1, 1, Math.Max(0, img.Width - 2), Math.Max(0, img.Height - 2));
        using var degenerate = img.Clone();
        if (border.Width > 0 && border.Height > 0)
        {
            using var inner = new Mat(smooth, border);
            using var target = new Mat(degenerate, border);
            inner.CopyTo(target);
        }
        var dst = new Mat();
        Cv2.AddWeighted(img, factor, degenerate, 1 - factor, 0, dst);
        return dst;
    }

    /// <summary>Stretches each channel to the full 0..255 range.</summary>
    public static Mat AutoContrast(Mat img) => Pixels.PerChannel(img, p =>
    {
        Cv2.MinMaxLoc(p, out double lo, out double hi);
        if (hi > lo) p.ConvertTo(p, MatType.CV_8UC1, 255 / (hi - lo), -lo * 255 / (hi - lo));
    });
}

/// <summary>RandAugment (Cubuk et al. 2020): <c>n</c> ops chosen uniformly, each at magnitude <c>m</c> of <c>bins</c>.</summary>
public sealed class RandAugment(int n = 2, int m = 9, int bins = 31, double p = 1) : RandomTransform(p)
{
    private static readonly PolicyOp[] Ops =
    [
        PolicyOp.Identity, PolicyOp.ShearX, PolicyOp.ShearY, PolicyOp.TranslateX, PolicyOp.TranslateY, PolicyOp.Rotate, PolicyOp.Brightness,
        PolicyOp.Color, PolicyOp.Contrast, PolicyOp.Sharpness, PolicyOp.Posterize, PolicyOp.Solarize, PolicyOp.AutoContrast, PolicyOp.Equalize,
    ];

    protected override void Run(AugmentTarget t, Random rng)
    {
        for (int i = 0; i < n; i++)
        {
            var op = Ops[rng.Next(Ops.Length)];
            double magnitude = PolicyOps.Magnitude(op, m, bins, wide: false, t.Width, t.Height);
            if (PolicyOps.Signed(op) && rng.Next(2) == 0) magnitude = -magnitude;
            PolicyOps.Apply(t, op, magnitude);
        }
    }
}

/// <summary>TrivialAugmentWide (Müller & Hutter 2021): one op, one magnitude bin, both uniform, wide ranges.</summary>
public sealed class TrivialAugmentWide(int bins = 31, double p = 1) : RandomTransform(p)
{
    private static readonly PolicyOp[] Ops =
    [
        PolicyOp.Identity, PolicyOp.ShearX, PolicyOp.ShearY, PolicyOp.TranslateX, PolicyOp.TranslateY, PolicyOp.Rotate, PolicyOp.Brightness,
        PolicyOp.Color, PolicyOp.Contrast, PolicyOp.Sharpness, PolicyOp.Posterize, PolicyOp.Solarize, PolicyOp.AutoContrast, PolicyOp.Equalize,
    ];

    protected override void Run(AugmentTarget t, Random rng)
    {
        var op = Ops[rng.Next(Ops.Length)];
        double magnitude = PolicyOps.Magnitude(op, rng.Next(bins), bins, wide: true, t.Width, t.Height);
        if (PolicyOps.Signed(op) && rng.Next(2) == 0) magnitude = -magnitude;
        PolicyOps.Apply(t, op, magnitude);
    }
}

/// <summary>AutoAugment (Cubuk et al. 2019) with its ImageNet policy: one of 25 sub-policies, two ops each with a probability and a magnitude bin of 10.</summary>
public sealed class AutoAugment(double p = 1) : RandomTransform(p)
{
    private const int Bins = 10;

    // (op, probability, magnitude bin) pairs, as torchvision's AutoAugmentPolicy.IMAGENET.
    private static readonly (PolicyOp Op, double P, int Bin)[][] ImageNet =
    [
        [(PolicyOp.Posterize, 0.4, 8), (PolicyOp.Rotate, 0.6, 9)],
        [(PolicyOp.Solarize, 0.6, 5), (PolicyOp.AutoContrast, 0.6, 0)],
        [(PolicyOp.Equalize, 0.8, 0), (PolicyOp.Equalize, 0.6, 0)],
        [(PolicyOp.Posterize, 0.6, 7), (PolicyOp.Posterize, 0.6, 6)],
        [(PolicyOp.Equalize, 0.4, 0), (PolicyOp.Solarize, 0.2, 4)],
        [(PolicyOp.Equalize, 0.4, 0), (PolicyOp.Rotate, 0.8, 8)],
        [(PolicyOp.Solarize, 0.6, 3), (PolicyOp.Equalize, 0.6, 0)],
        [(PolicyOp.Posterize, 0.8, 5), (PolicyOp.Equalize, 1.0, 0)],
        [(PolicyOp.Rotate, 0.2, 3), (PolicyOp.Solarize, 0.6, 8)],
        [(PolicyOp.Equalize, 0.6, 0), (PolicyOp.Posterize, 0.4, 6)],
        [(PolicyOp.Rotate, 0.8, 8), (PolicyOp.Color, 0.4, 0)],
        [(PolicyOp.Rotate, 0.4, 9), (PolicyOp.Equalize, 0.6, 0)],
        [(PolicyOp.Equalize, 0.0, 0), (PolicyOp.Equalize, 0.8, 0)],
        [(PolicyOp.Invert, 0.6, 0), (PolicyOp.Equalize, 1.0, 0)],
        [(PolicyOp.Color, 0.6, 4), (PolicyOp.Contrast, 1.0, 8)],
        [(PolicyOp.Rotate, 0.8, 8), (PolicyOp.Color, 1.0, 2)],
        [(PolicyOp.Color, 0.8, 8), (PolicyOp.Solarize, 0.8, 7)],
        [(PolicyOp.Sharpness, 0.4, 7), (PolicyOp.Invert, 0.6, 0)],
        [(PolicyOp.ShearX, 0.6, 5), (PolicyOp.Equalize, 1.0, 0)],
        [(PolicyOp.Color, 0.4, 0), (PolicyOp.Equalize, 0.6, 0)],
        [(PolicyOp.Equalize, 0.4, 0), (PolicyOp.Solarize, 0.2, 4)],
        [(PolicyOp.Solarize, 0.6, 5), (PolicyOp.AutoContrast, 0.6, 0)],
        [(PolicyOp.Invert, 0.6, 0), (PolicyOp.Equalize, 1.0, 0)],
        [(PolicyOp.Color, 0.6, 4), (PolicyOp.Contrast, 1.0, 8)],
        [(PolicyOp.Equalize, 0.8, 0), (PolicyOp.Equalize, 0.6, 0)],
    ];

    protected override void Run(AugmentTarget t, Random rng)
    {
        foreach (var (op, prob, bin) in ImageNet[rng.Next(ImageNet.Length)])
        {
            // Draw order as torchvision: the probability, then the sign.
            if (rng.NextDouble() > prob) continue;
            double magnitude = PolicyOps.Magnitude(op, bin, Bins, wide: false, t.Width, t.Height);
            if (PolicyOps.Signed(op) && rng.Next(2) == 0) magnitude = -magnitude;
            PolicyOps.Apply(t, op, magnitude);
        }
    }
}
