using OpenCvSharp;

namespace Podium.Augment;

/// <summary>A fixed region [x_min, x_max) x [y_min, y_max) in pixels (albumentations' Crop): five-crop TTA views, known regions of
/// interest.</summary>
public sealed class Crop(int xMin, int yMin, int xMax, int yMax, double p = 1) : RandomTransform(p)
{
    protected override void Run(AugmentTarget t, Random rng)
    {
        if (xMax > t.Width || yMax > t.Height)
            throw new PodiumException($"crop: region to ({xMax}, {yMax}) is outside the image {t.Width}x{t.Height}");
        Warp.Crop(t, new Rect(xMin, yMin, xMax - xMin, yMax - yMin));
    }
}
