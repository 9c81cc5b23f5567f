namespace Podium.Eda;

public sealed record ClassLook(string Name, Distribution Brightness, Distribution Contrast, Distribution Sharpness);
