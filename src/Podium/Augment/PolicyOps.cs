using OpenCvSharp;

namespace Podium.Augment;

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
        using var kernel = Mat.FromPixelData(3, 3, MatType.CV_32FC1, new float[] { 1 / 13f, 1 / 13f, 1 / 13f, 1 / 13f, 5 / 13f, 1 / 13f,
            1 / 13f, 1 / 13f, 1 / 13f });
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
