using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>
/// torchvision's RandomResizedCrop: a crop of random area (a fraction in <c>scale</c> of the image)
/// and aspect ratio (log-uniform in <c>ratio</c>), resized to the output size; after 10 misses, a
/// centre crop at the nearest allowed ratio.
/// </summary>
[Transform("random_resized_crop")]
public sealed class RandomResizedCrop(RandomResizedCrop.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [ImageSize] public HeightWidth? Size { get; init; }
        public Interval Scale { get; init; } = new(0.08, 1.0);
        public Interval Ratio { get; init; } = new(3.0 / 4, 4.0 / 3);
        public Options() => P = 1;

        public override void Validate()
        {
            if (Scale.Lo <= 0 || Scale.Hi > 1) throw new ConfigException("scale must be [min, max] with 0 < min <= max <= 1");
            if (Ratio.Lo <= 0) throw new ConfigException("ratio must be [min, max] with 0 < min <= max");
        }
    }

    private readonly int height = o.Size?.Height ?? 0, width = o.Size?.Width ?? 0;
    private readonly double scaleMin = o.Scale.Lo, scaleMax = o.Scale.Hi, ratioMin = o.Ratio.Lo, ratioMax = o.Ratio.Hi;

    public RandomResizedCrop() : this(new Options()) { }

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
