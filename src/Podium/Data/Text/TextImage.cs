using Podium.Augment;

namespace Podium.Data;

/// <summary>One image with its text regions (polygons tagged with their transcription; "###" = ignore).</summary>
public sealed record TextImage(string Path, IReadOnlyList<Polygon> Regions, string? Group = null);
