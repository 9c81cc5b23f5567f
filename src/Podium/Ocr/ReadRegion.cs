using OpenCvSharp;

namespace Podium.Ocr;

/// <summary>A detected text region of a page and its reading: the polygon, the detector's score, the text and the recogniser's
/// confidence.</summary>
public sealed record ReadRegion(Point2d[] Points, double Score, string Text, double Confidence);
