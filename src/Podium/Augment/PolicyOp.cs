namespace Podium.Augment;

/// <summary>The operations of the automatic augmentation policies, with torchvision's magnitude spaces.</summary>
public enum PolicyOp
{
    Identity, ShearX, ShearY, TranslateX, TranslateY, Rotate, Brightness, Color, Contrast, Sharpness,
    Posterize, Solarize, AutoContrast, Equalize, Invert,
}
