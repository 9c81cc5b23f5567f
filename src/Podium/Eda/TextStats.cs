namespace Podium.Eda;

public sealed record TextStats(
    int Regions, int DontCare, Distribution RegionsPerImage, Distribution Width, Distribution Height, Distribution Aspect,
    Distribution AngleDegrees, int TinyRegions, int RegionsOutsideImage, Dictionary<string, int> Orientation);
