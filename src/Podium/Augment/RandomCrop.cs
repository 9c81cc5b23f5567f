using OpenCvSharp;

namespace Podium.Augment;

/// <summary>A random crop of a fixed size; the image must be at least that large (pad_if_needed first).</summary>
[Transform("random_crop")]
public sealed class RandomCrop(RandomCrop.Options o) : RandomTransform(o)
{
    public sealed record Options : CropSizeOptions;

    private readonly int height = o.Height ?? 0, width = o.Width ?? 0;

    public RandomCrop() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        CheckFits(t, height, width, "random_crop");
        Warp.Crop(t, new Rect(rng.Next(t.Width - width + 1), rng.Next(t.Height - height + 1), width, height));
    }

    internal static void CheckFits(AugmentTarget t, int height, int width, string name)
    {
        if (height > t.Height || width > t.Width)
            throw new PodiumException($"{name}: crop {width}x{height} is larger than the image {t.Width}x{t.Height}; put pad_if_needed " +
                $"before it");
    }
}
