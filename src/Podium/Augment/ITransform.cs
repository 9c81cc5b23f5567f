using OpenCvSharp;

namespace Podium.Augment;

/// <summary>
/// What a transform works on. Today an image; masks, polygons and boxes join here (each transform
/// applying the same random parameters to every target) when the augmentation library lands.
/// </summary>
public sealed class AugmentTarget(Mat image) : IDisposable
{
    /// <summary>8-bit, 1 or 3 channels (RGB), HxW. A transform may replace it; the old one is disposed.</summary>
    public Mat Image { get; private set; } = image;

    public void Replace(Mat image)
    {
        if (ReferenceEquals(image, Image)) return;
        Image.Dispose();
        Image = image;
    }

    public void Dispose() => Image.Dispose();
}

/// <summary>One augmentation or preprocessing step. Randomness comes only from <paramref name="rng"/>,
/// which the loader seeds per sample and epoch, so results do not depend on which thread runs it.</summary>
public interface ITransform
{
    void Apply(AugmentTarget target, Random rng);
}

/// <summary>Runs transforms in order.</summary>
public sealed class Compose(IReadOnlyList<ITransform> transforms) : ITransform
{
    public IReadOnlyList<ITransform> Transforms { get; } = transforms;

    public void Apply(AugmentTarget target, Random rng)
    {
        foreach (var t in Transforms) t.Apply(target, rng);
    }
}
