using OpenCvSharp;

namespace Podium.Augment;

/// <summary>
/// torchvision's RandomResizedCrop: a crop of random area (a fraction in <c>scale</c> of the image)
/// and aspect ratio (log-uniform in <c>ratio</c>), resized to the output size; after 10 misses, a
/// centre crop at the nearest allowed ratio.
/// </summary>
public sealed class RandomResizedCrop(int height, int width, double scaleMin = 0.08, double scaleMax = 1.0,
    double ratioMin = 3.0 / 4, double ratioMax = 4.0 / 3, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget target, Random rng)
    {
        Warp.CropResize(target, SampleCrop(target.Width, target.Height, rng), width, height);
    }

    public Rect SampleCrop(int w, int h, Random rng)
    {
        double area = (double)w * h;
        double logLo = Math.Log(ratioMin), logHi = Math.Log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double targetArea = area * (scaleMin + rng.NextDouble() * (scaleMax - scaleMin));
            double aspect = Math.Exp(logLo + rng.NextDouble() * (logHi - logLo));
            int cw = (int)Math.Round(Math.Sqrt(targetArea * aspect));
            int ch = (int)Math.Round(Math.Sqrt(targetArea / aspect));
            if (cw > 0 && ch > 0 && cw <= w && ch <= h)
                return new Rect(rng.Next(w - cw + 1), rng.Next(h - ch + 1), cw, ch);
        }
        double inRatio = (double)w / h;
        int fw = w, fh = h;
        if (inRatio < ratioMin) fh = (int)Math.Round(w / ratioMin);
        else if (inRatio > ratioMax) fw = (int)Math.Round(h * ratioMax);
        return new Rect((w - fw) / 2, (h - fh) / 2, fw, fh);
    }
}
