using OpenCvSharp;

namespace Podium.Reporting;

/// <summary>Helpers for the picture grids of reports (EDA montages, error galleries): paste a tile, write a caption.</summary>
public static class ImageGrid
{
    public static void Paste(Mat grid, Mat tile, int x, int y)
    {
        using var roi = new Mat(grid, new Rect(x, y, tile.Width, tile.Height));
        tile.CopyTo(roi);
    }

    /// <summary>A caption at (x, y); an empty one draws nothing (OpenCV refuses it).</summary>
    public static void Text(Mat grid, string text, int x, int y, double scale, Scalar? color = null)
    {
        if (text.Length > 0)
            Cv2.PutText(grid, text, new Point(x, y), HersheyFonts.HersheySimplex, scale, color ?? Scalar.All(30), 1, LineTypes.AntiAlias);
    }

    /// <summary>A caption cut to <paramref name="max"/> characters.</summary>
    public static string Cut(string s, int max = 12) => s.Length > max ? s[..max] : s;

    /// <summary>The last two parts of a path, cut to <paramref name="max"/> characters from the end.</summary>
    public static string Shorten(string path, int max = 60)
    {
        var tail = string.Join('/', path.Split(Path.DirectorySeparatorChar).TakeLast(2));
        return tail.Length > max ? "..." + tail[^(max - 3)..] : tail;
    }
}
