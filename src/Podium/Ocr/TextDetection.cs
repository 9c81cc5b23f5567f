using CvPoint = OpenCvSharp.Point2d;

namespace Podium.Ocr;

/// <summary>One detected text region in image coordinates, with its score (mean probability inside the kernel).</summary>
public sealed record TextDetection(CvPoint[] Points, double Score);
