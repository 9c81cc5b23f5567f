using Podium.Config;

namespace Podium.Augment;

/// <summary>How geometric transforms fill pixels from outside the image.</summary>
public enum BorderMode
{
    Constant,
    Reflect,
    [Key("reflect_101")] Reflect101,
    Replicate,
}
