using OpenCvSharp;

namespace Podium.Augment;

// Document degradations in the spirit of augraphy's ink / paper / post phases. They change pixels
// only, so OCR polygons stay exactly where the text is. All randomness comes from the sample's rng.

internal static class Doc
{
    /// <summary>Low-frequency noise in [0, 1]: uniform noise blurred at <paramref name="scale"/> pixels, then stretched.</summary>
    public static Mat SmoothNoise(Size size, double scale, Random rng)
    {
        var small = new Mat(Math.Max(2, (int)(size.Height / scale)), Math.Max(2, (int)(size.Width / scale)), MatType.CV_32FC1);
        new RNG((ulong)rng.NextInt64()).Fill(small, DistributionType.Uniform, Scalar.All(0), Scalar.All(1));
        var big = new Mat();
        Cv2.Resize(small, big, size, 0, 0, InterpolationFlags.Cubic);
        small.Dispose();
        Cv2.Normalize(big, big, 0, 1, NormTypes.MinMax);
        return big;
    }

    /// <summary>img · factor per pixel (factor CV_32FC1), for any channel count.</summary>
    public static Mat Multiply(Mat img, Mat factor)
    {
        using var f = new Mat();
        img.ConvertTo(f, MatType.CV_32FC(img.Channels()));
        using var k = img.Channels() == 1 ? factor.Clone() : new Mat();
        if (img.Channels() > 1) Cv2.Merge(Enumerable.Repeat(factor, img.Channels()).ToArray(), k);
        Cv2.Multiply(f, k, f);
        var dst = new Mat();
        f.ConvertTo(dst, img.Type());
        return dst;
    }

    /// <summary>Where the ink is: pixels darker than the page (Otsu on gray), as a 0/255 mask.</summary>
    public static Mat InkMask(Mat img)
    {
        using var gray = img.Channels() == 1 ? img.Clone() : img.CvtColor(ColorConversionCodes.RGB2GRAY);
        var ink = new Mat();
        Cv2.Threshold(gray, ink, 0, 255, ThresholdTypes.BinaryInv | ThresholdTypes.Otsu);
        return ink;
    }
}

/// <summary>Ink bleeding into the paper: strokes thicken and soften.</summary>
public sealed class InkBleed(int kernelLo = 2, int kernelHi = 3, double intensityLo = 0.4, double intensityHi = 0.7, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        int k = rng.Next(kernelLo, kernelHi + 1);
        using var element = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(k, k));
        using var bled = new Mat();
        Cv2.Erode(t.Image, bled, element); // on dark-on-light pages, erosion spreads the dark ink
        Cv2.GaussianBlur(bled, bled, new Size(3, 3), 0);
        var dst = new Mat();
        double a = Sampling.Uniform(rng, intensityLo, intensityHi);
        Cv2.AddWeighted(bled, a, t.Image, 1 - a, 0, dst);
        t.Replace(dst);
    }
}

/// <summary>A printer running low on ink: horizontal bands where the strokes fade.</summary>
public sealed class LowInkLines(int countLo = 3, int countHi = 10, double fadeLo = 0.3, double fadeHi = 0.8, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        using var factor = new Mat(t.Height, t.Width, MatType.CV_32FC1, Scalar.All(0));
        for (int i = rng.Next(countLo, countHi + 1); i > 0; i--)
        {
            int y = rng.Next(t.Height), h = rng.Next(1, Math.Max(2, t.Height / 60 + 2));
            factor[new Rect(0, y, t.Width, Math.Min(h, t.Height - y))].SetTo(Scalar.All(Sampling.Uniform(rng, fadeLo, fadeHi)));
        }
        // Blend towards white inside the bands: x + (255 − x) · fade.
        using var inverted = new Mat();
        Cv2.BitwiseNot(t.Image, inverted);
        using var lift = Doc.Multiply(inverted, factor);
        var dst = new Mat();
        Cv2.Add(t.Image, lift, dst);
        t.Replace(dst);
    }
}

/// <summary>Ordered (Bayer 4x4) dithering to black and white, as cheap printers and fax machines render grey.</summary>
public sealed class Dithering(double p = 0.5) : RandomTransform(p)
{
    private static readonly int[] Bayer = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

    protected override void Run(AugmentTarget t, Random rng)
    {
        using var gray = t.Image.Channels() == 1 ? t.Image.Clone() : t.Image.CvtColor(ColorConversionCodes.RGB2GRAY);
        int height = gray.Height, width = gray.Width;
        var pixels = new byte[height * width];
        System.Runtime.InteropServices.Marshal.Copy(gray.Data, pixels, 0, pixels.Length); // a fresh Mat is continuous
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                pixels[y * width + x] = (byte)(pixels[y * width + x] * 16 / 256 > Bayer[(y & 3) * 4 + (x & 3)] ? 255 : 0);
        var outGray = Mat.FromPixelData(height, width, MatType.CV_8UC1, pixels).Clone();
        if (t.Image.Channels() == 1) { t.Replace(outGray); return; }
        var dst = new Mat();
        Cv2.CvtColor(outGray, dst, ColorConversionCodes.GRAY2RGB);
        outGray.Dispose();
        t.Replace(dst);
    }
}

/// <summary>Paper: a fibrous texture and a tint (white, cream, recycled grey) multiplied into the page.</summary>
public sealed class PaperTexture(double strengthLo = 0.05, double strengthHi = 0.2, double p = 0.5) : RandomTransform(p)
{
    private static readonly Scalar[] Tints = [new(255, 255, 255), new(250, 243, 224), new(236, 232, 220), new(244, 240, 232), new(225, 225, 220)];

    protected override void Run(AugmentTarget t, Random rng)
    {
        double strength = Sampling.Uniform(rng, strengthLo, strengthHi);
        using var coarse = Doc.SmoothNoise(t.Image.Size(), Sampling.Uniform(rng, 20, 60), rng);
        using var fine = new Mat(t.Image.Size(), MatType.CV_32FC1);
        new RNG((ulong)rng.NextInt64()).Fill(fine, DistributionType.Uniform, Scalar.All(0), Scalar.All(1));
        using var fibres = new Mat();
        Cv2.GaussianBlur(fine, fibres, new Size(5, 1), 0); // horizontal streaks, as paper fibres
        using var texture = new Mat();
        Cv2.AddWeighted(coarse, 0.6, fibres, 0.4, 0, texture);
        using var factor = new Mat();
        texture.ConvertTo(factor, MatType.CV_32FC1, -strength, 1);
        using var textured = Doc.Multiply(t.Image, factor);
        var tint = Tints[rng.Next(Tints.Length)];
        var dst = new Mat();
        if (textured.Channels() == 3) Cv2.Multiply(textured, new Scalar(tint.Val0 / 255, tint.Val1 / 255, tint.Val2 / 255), dst);
        else textured.CopyTo(dst);
        t.Replace(dst);
    }
}

/// <summary>Uneven lighting: a linear brightness gradient across the page and, sometimes, a soft shadow.</summary>
public sealed class LightingGradient(double darkLo = 0.5, double darkHi = 0.85, double shadowP = 0.5, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        double angle = rng.NextDouble() * Math.PI * 2, dx = Math.Cos(angle), dy = Math.Sin(angle), low = Sampling.Uniform(rng, darkLo, darkHi);
        var factor = new Mat(t.Height, t.Width, MatType.CV_32FC1);
        double span = Math.Abs(dx) * t.Width + Math.Abs(dy) * t.Height;
        for (int y = 0; y < t.Height; y++)
            for (int x = 0; x < t.Width; x++)
            {
                double s = ((x - t.Width / 2.0) * dx + (y - t.Height / 2.0) * dy) / span + 0.5;
                factor.Set(y, x, (float)(low + (1 - low) * Math.Clamp(s, 0, 1)));
            }
        if (rng.NextDouble() < shadowP)
        {
            using var shadow = new Mat(t.Height, t.Width, MatType.CV_32FC1, Scalar.All(1));
            var centre = new Point(rng.Next(t.Width), rng.Next(t.Height));
            var axes = new Size(rng.Next(t.Width / 4, t.Width + 1), rng.Next(t.Height / 4, t.Height + 1));
            Cv2.Ellipse(shadow, centre, axes, rng.Next(180), 0, 360, Scalar.All(Sampling.Uniform(rng, 0.55, 0.85)), -1);
            int k = (Math.Max(t.Width, t.Height) / 8) | 1;
            Cv2.GaussianBlur(shadow, shadow, new Size(k, k), 0);
            Cv2.Multiply(factor, shadow, factor);
        }
        using (factor) t.Replace(Doc.Multiply(t.Image, factor));
    }
}

/// <summary>A dirty scanner drum or rollers: thin dark streaks along one axis, with speckle.</summary>
public sealed class DirtyRollers(int countLo = 4, int countHi = 15, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        bool vertical = rng.Next(2) == 0;
        var dst = t.Image.Clone();
        for (int i = rng.Next(countLo, countHi + 1); i > 0; i--)
        {
            double darkness = Sampling.Uniform(rng, 0.2, 0.7);
            int width = rng.Next(1, 3);
            int at = rng.Next(vertical ? t.Width : t.Height);
            var r = vertical ? new Rect(at, 0, Math.Min(width, t.Width - at), t.Height) : new Rect(0, at, t.Width, Math.Min(width, t.Height - at));
            using var band = new Mat(dst, r);
            using var noise = new Mat(r.Size, MatType.CV_32FC1);
            new RNG((ulong)rng.NextInt64()).Fill(noise, DistributionType.Uniform, Scalar.All(1 - darkness), Scalar.All(1));
            using var darker = Doc.Multiply(band, noise);
            darker.CopyTo(band);
        }
        t.Replace(dst);
    }
}

/// <summary>A bad photocopy: contrast pushed up, toner speckle on the page, strokes partly broken.</summary>
public sealed class BadPhotocopy(double noiseLo = 0.01, double noiseHi = 0.05, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        using var contrasted = Pixels.Scale(t.Image, Sampling.Uniform(rng, 1.3, 1.8), -Sampling.Uniform(rng, 40, 90));
        using var speckle = new Mat(t.Image.Size(), MatType.CV_32FC1);
        new RNG((ulong)rng.NextInt64()).Fill(speckle, DistributionType.Uniform, Scalar.All(0), Scalar.All(1));
        double density = Sampling.Uniform(rng, noiseLo, noiseHi);
        using var dots = new Mat();
        Cv2.Threshold(speckle, dots, 1 - density, 1, ThresholdTypes.Binary);   // 1 where toner lands
        using var breaks = new Mat();
        Cv2.Threshold(speckle, breaks, density, 1, ThresholdTypes.BinaryInv); // 1 where strokes break
        using var factor = new Mat();
        dots.ConvertTo(factor, MatType.CV_32FC1, -0.85, 1);
        using var speckled = Doc.Multiply(contrasted, factor);
        using var ink = Doc.InkMask(t.Image);
        using var broken = new Mat();
        breaks.ConvertTo(broken, MatType.CV_8UC1, 255);
        Cv2.BitwiseAnd(broken, ink, broken);
        var dst = speckled.Clone();
        dst.SetTo(Scalar.All(255), broken);
        t.Replace(dst);
    }
}

/// <summary>A fold across the page: a crease line with shading on one side (no geometry moves).</summary>
public sealed class Folding(int foldsLo = 1, int foldsHi = 2, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        using var factor = new Mat(t.Height, t.Width, MatType.CV_32FC1, Scalar.All(1));
        for (int f = rng.Next(foldsLo, foldsHi + 1); f > 0; f--)
        {
            bool vertical = rng.Next(2) == 0;
            int at = vertical ? rng.Next(t.Width / 5, 4 * t.Width / 5) : rng.Next(t.Height / 5, 4 * t.Height / 5);
            int falloff = Math.Max(3, (vertical ? t.Width : t.Height) / rng.Next(10, 30));
            double depth = Sampling.Uniform(rng, 0.6, 0.85);
            for (int d = -falloff; d <= falloff; d++)
            {
                int line = at + d;
                if (line < 0 || line >= (vertical ? t.Width : t.Height)) continue;
                // Darkest at the crease, lighter on the far side of it: light coming from one direction.
                double s = d < 0 ? 1 - (1 - depth) * (1 - (double)-d / falloff) : 1 - (1 - depth) * 0.4 * (1 - (double)d / falloff);
                var r = vertical ? new Rect(line, 0, 1, t.Height) : new Rect(0, line, t.Width, 1);
                using var stripe = new Mat(factor, r);
                Cv2.Multiply(stripe, Scalar.All(s), stripe);
            }
        }
        t.Replace(Doc.Multiply(t.Image, factor));
    }
}

/// <summary>Pen scribbles: a few random smooth strokes in a dark ink colour.</summary>
public sealed class Scribbles(int countLo = 1, int countHi = 3, double p = 0.5) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        var dst = t.Image.Clone();
        for (int s = rng.Next(countLo, countHi + 1); s > 0; s--)
        {
            var colour = t.Image.Channels() == 3 ? new Scalar(rng.Next(0, 80), rng.Next(0, 80), rng.Next(60, 160)) : Scalar.All(rng.Next(0, 80));
            double x = rng.Next(t.Width), y = rng.Next(t.Height), heading = rng.NextDouble() * Math.PI * 2;
            int steps = rng.Next(20, 60), thickness = rng.Next(1, Math.Max(2, t.Width / 300 + 2));
            double stride = Math.Max(2, Math.Min(t.Width, t.Height) / 40.0);
            var points = new List<Point>();
            for (int i = 0; i < steps; i++)
            {
                heading += Sampling.Uniform(rng, -0.6, 0.6);
                x += Math.Cos(heading) * stride;
                y += Math.Sin(heading) * stride;
                points.Add(new Point(x, y));
            }
            Cv2.Polylines(dst, [points], false, colour, thickness, LineTypes.AntiAlias);
        }
        t.Replace(dst);
    }
}
