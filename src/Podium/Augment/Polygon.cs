using OpenCvSharp;

namespace Podium.Augment;

/// <summary>A polygon (an OCR quad, or any length ≥ 3) with an optional tag (a transcription, "###").</summary>
public sealed record Polygon(Point2d[] Points, string? Tag = null)
{
    public double Area => Geometry.Area(Points);
}
