using OpenCvSharp;

namespace Podium.Ocr;

/// <summary>
/// Text regions of a page in reading order: top to bottom by their vertical centres, a region joining the line above when its
/// centre lies within half the line's median region height of that line's centre, each line then read left to right (a
/// receipt's or a form's layout; multi-column pages read across the columns).
/// </summary>
public static class ReadingOrder
{
    /// <summary>The regions' indices grouped into lines, lines top to bottom, each line left to right.</summary>
    public static List<List<int>> Lines(IReadOnlyList<IReadOnlyList<Point2d>> regions)
    {
        var boxes = regions.Select(r => (Top: r.Min(p => p.Y), Bottom: r.Max(p => p.Y), Left: r.Min(p => p.X))).ToArray();
        var lines = new List<(double Centre, List<double> Heights, List<int> Members)>();
        foreach (var i in Enumerable.Range(0, regions.Count).OrderBy(i => (boxes[i].Top + boxes[i].Bottom) / 2))
        {
            double centre = (boxes[i].Top + boxes[i].Bottom) / 2, height = boxes[i].Bottom - boxes[i].Top;
            if (lines.Count > 0 && Math.Abs(centre - lines[^1].Centre) <= Median(lines[^1].Heights) / 2)
            {
                var line = lines[^1];
                line.Members.Add(i);
                line.Heights.Add(height);
                lines[^1] = (line.Centre + (centre - line.Centre) / line.Members.Count, line.Heights, line.Members);
            }
            else lines.Add((centre, [height], [i]));
        }
        return [.. lines.Select(l => l.Members.OrderBy(i => boxes[i].Left).ToList())];
    }

    /// <summary>The page's text: each line's texts joined by a space, lines by a newline.</summary>
    public static string Text(IReadOnlyList<IReadOnlyList<Point2d>> regions, IReadOnlyList<string> texts) =>
        string.Join('\n', Lines(regions).Select(line => string.Join(' ', line.Select(i => texts[i]).Where(t => t.Length > 0))));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
