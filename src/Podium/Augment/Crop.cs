using OpenCvSharp;
using Podium.Config;

namespace Podium.Augment;

/// <summary>A fixed region [x_min, x_max) x [y_min, y_max) in pixels (albumentations' Crop): five-crop TTA views, known regions of
/// interest.</summary>
[Transform("crop")]
public sealed class Crop(Crop.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
        [NonNegative] public int XMin { get; init; }
        [NonNegative] public int YMin { get; init; }
        public int XMax { get; init; }
        public int YMax { get; init; }
        public Options() => P = 1;

        public override void Validate()
        {
            if (XMax <= XMin || YMax <= YMin)
                throw new ConfigException("x_max and y_max must be greater than x_min and y_min, " +
                    $"got ({XMin}, {YMin}) to ({XMax}, {YMax})");
        }
    }

    private readonly int xMin = o.XMin, yMin = o.YMin, xMax = o.XMax, yMax = o.YMax;

    public Crop() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        if (xMax > t.Width || yMax > t.Height)
            throw new PodiumException($"crop: region to ({xMax}, {yMax}) is outside the image {t.Width}x{t.Height}");
        Warp.Crop(t, new Rect(xMin, yMin, xMax - xMin, yMax - yMin));
    }
}
