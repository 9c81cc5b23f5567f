using OpenCvSharp;

namespace Podium.Ocr;

/// <summary>One line to read: an image of the line alone (<paramref name="Region"/> null), or region <paramref name="Number"/>
/// (from 1) of a larger image, warped upright when read; its transcription; and its group (the page it comes from, which a split
/// keeps on one side).</summary>
public sealed record TextLine(string Source, Point2d[]? Region, int Number, string Text, string Group)
{
    /// <summary>For messages and reports: the file, with the region's number when the line is one.</summary>
    public string Where => Region is null ? Source : $"{Source}#{Number}";
}
