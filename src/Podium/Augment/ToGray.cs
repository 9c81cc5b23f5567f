namespace Podium.Augment;

/// <summary>Grayscale, kept with the image's channel count.</summary>
[Transform("to_gray")]
public sealed class ToGray(ToGray.Options o) : RandomTransform(o)
{
    public sealed record Options : RandomOptions
    {
    }

    public ToGray() : this(new Options()) { }

    protected override void Run(AugmentTarget t, Random rng)
    {
        if (Pixels.IsColour(t.Image)) Pixels.Gray3(t.Image, t.Image); // in place: the target owns it
    }
}
