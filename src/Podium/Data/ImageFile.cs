using OpenCvSharp;

namespace Podium.Data;

/// <summary>One image file and its label, as listed by a folder tree or a CSV manifest; files of one
/// group (e.g. augmented copies of one source image) must stay on the same side of a split.</summary>
public sealed record ImageFile(string Path, int Label, string? Group = null, Rect2d? Box = null, int[]? Tags = null);
