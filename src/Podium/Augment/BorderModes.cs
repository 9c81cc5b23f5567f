using OpenCvSharp;

namespace Podium.Augment;

/// <summary>OpenCV's name for a <see cref="BorderMode"/>.</summary>
public static class BorderModes
{
    public static BorderTypes ToCv(this BorderMode mode) => mode switch
    {
        BorderMode.Reflect => BorderTypes.Reflect,
        BorderMode.Reflect101 => BorderTypes.Reflect101,
        BorderMode.Replicate => BorderTypes.Replicate,
        _ => BorderTypes.Constant,
    };
}
