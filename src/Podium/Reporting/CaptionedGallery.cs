using OpenCvSharp;
using Podium.Augment;
using Podium.Data;
using Podium.IO;
using static Podium.Reporting.ImageGrid;

namespace Podium.Reporting;

/// <summary>
/// A PNG of a dataset's images in rows, each tile with two captions under it (error galleries, the images nearest each cluster's
/// centre). The first caption can be drawn in red to flag it.
/// </summary>
public static class CaptionedGallery
{
    public const int Tile = 128, Gap = 6, Caption = 34;

    /// <summary>One tile: the dataset index, the two caption lines, the dataset it is from when not the gallery's, and what to draw
    /// instead of the image as read (an RGB image: a heat map over it).</summary>
    public sealed record Item(int Index, string First, string Second, ImageDataset? From = null, Func<Mat>? Image = null);

    /// <summary>Writes the rows (as many tiles wide as the longest) to <paramref name="path"/>; no rows: removes an old picture.</summary>
    public static void Write(ImageDataset data, IReadOnlyList<IReadOnlyList<Item>> rows, string path, bool flagFirst)
    {
        int columns = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        if (columns == 0) { if (File.Exists(path)) File.Delete(path); return; }
        using var grid = new Mat(rows.Count * (Tile + Caption + Gap), columns * (Tile + Gap), MatType.CV_8UC3, Scalar.All(255));
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < rows[r].Count; c++)
            {
                var o = rows[r][c];
                int x = c * (Tile + Gap), y = r * (Tile + Caption + Gap);
                using (var target = new AugmentTarget(o.Image?.Invoke() ?? (o.From ?? data).Read(o.Index, 3)))
                using (var tile = TargetTile.Draw(target, Tile))
                    Paste(grid, tile, x, y);
                Text(grid, o.First, x + 2, y + Tile + 13, 0.4, flagFirst ? new Scalar(0, 0, 190) : null);
                Text(grid, o.Second, x + 2, y + Tile + 28, 0.36);
            }
        AtomicFile.WritePng(path, grid);
    }
}
