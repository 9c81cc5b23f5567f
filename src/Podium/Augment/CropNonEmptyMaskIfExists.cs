using OpenCvSharp;

namespace Podium.Augment;

/// <summary>A crop of a fixed size that contains mask pixels when the mask has any (else a random crop).</summary>
[Transform("crop_non_empty_mask_if_exists")]
public sealed class CropNonEmptyMaskIfExists(CropNonEmptyMaskIfExists.Options o) : RandomTransform(o)
{
    public sealed record Options : CropSizeOptions;

    private readonly int height = o.Height ?? 0, width = o.Width ?? 0;

    public CropNonEmptyMaskIfExists() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        RandomCrop.CheckFits(t, height, width, "crop_non_empty_mask_if_exists");
        int x0 = rng.Next(t.Width - width + 1), y0 = rng.Next(t.Height - height + 1);
        if (t.Mask is not null)
        {
            using var on = new Mat();
            using (var single = t.Mask.Channels() == 1
                ? t.Mask.Clone() : t.Mask.CvtColor(ColorConversionCodes.BGR2GRAY)) Cv2.FindNonZero(single, on);
            if (on.Rows > 0)
            {
                var pick = on.At<Point>(rng.Next(on.Rows));
                x0 = Math.Clamp(pick.X - rng.Next(width), 0, t.Width - width);
                y0 = Math.Clamp(pick.Y - rng.Next(height), 0, t.Height - height);
            }
        }
        Warp.Crop(t, new Rect(x0, y0, width, height));
    }
}
