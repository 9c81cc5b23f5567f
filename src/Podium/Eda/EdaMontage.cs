using OpenCvSharp;
using Podium.Augment;
using Podium.Data;
using static Podium.Reporting.ImageGrid;

namespace Podium.Eda;

/// <summary>Picture grids for the EDA report: samples per class, duplicate pairs side by side.</summary>
public static class EdaMontage
{
    private const int Tile = 128, Gap = 4, Caption = 18, RowLabel = 110;

    /// <summary>One row per class (or one for unlabelled/OCR data) of seeded random samples, text regions drawn.</summary>
    public static void Samples(ImageDataset data, IReadOnlyList<ImageFacts> facts, IReadOnlyList<string> rows, int perRow, int seed,
        string path, int tile = Tile)
    {
        var picker = new Random(seed);
        var chosen = rows.Select((_, r) =>
        {
            var members = facts.Where(f => f.Readable && (rows.Count == 1 || f.Label == r)).ToArray();
            picker.Shuffle(members);
            return members.Take(perRow).ToArray();
        }).ToArray();
        int columns = Math.Max(1, chosen.Max(c => c.Length));
        using var grid = new Mat(rows.Count * (tile + Gap), RowLabel + columns * (tile + Gap), MatType.CV_8UC3, Scalar.All(255));
        for (int r = 0; r < rows.Count; r++)
        {
            int y = r * (tile + Gap);
            Text(grid, rows[r], 4, y + tile / 2, 0.5);
            for (int c = 0; c < chosen[r].Length; c++)
            {
                var f = chosen[r][c];
                using var target = new AugmentTarget(data.Read(f.Index, 3));
                if (data.Polygons(f.Index) is { } regions) target.WithPolygons(regions);
                using var shown = TargetTile.Draw(target, tile);
                Paste(grid, shown, RowLabel + c * (tile + Gap), y);
            }
        }
        IO.AtomicFile.WritePng(path, grid);
    }

    /// <summary>Each pair on a row: both images and what makes them a pair.</summary>
    /// <param name="read">The image of a fact, as RGB (from its dataset: idx data has no files).</param>
    public static void Pairs(IReadOnlyList<DuplicatePair> pairs, IReadOnlyList<string> classes, Func<ImageFacts, Mat> read, string path)
    {
        if (pairs.Count == 0) return;
        const int info = 520;
        using var grid = new Mat(pairs.Count * (Tile + Caption + Gap), 2 * (Tile + Gap) + info, MatType.CV_8UC3, Scalar.All(255));
        for (int i = 0; i < pairs.Count; i++)
        {
            var p = pairs[i];
            int y = i * (Tile + Caption + Gap);
            foreach (var (f, k) in new[] { (p.A, 0), (p.B, 1) })
            {
                using var target = new AugmentTarget(read(f));
                using var tile = TargetTile.Draw(target, Tile);
                Paste(grid, tile, k * (Tile + Gap), y);
                Text(grid, $"{f.Width}x{f.Height}", k * (Tile + Gap) + 2, y + Tile + 13, 0.4);
            }
            int x = 2 * (Tile + Gap) + 6;
            Text(grid, p.Exact ? "identical files" : $"near{(p.Recoloured ? ", recoloured" : "")}: hash distance {p.HashDistance}, " +
                $"similarity {p.Similarity:F3}", x, y + 20, 0.45);
            Text(grid, $"A [{p.A.Set}] {Shorten(p.A.Path)}", x, y + 48, 0.4);
            Text(grid, $"B [{p.B.Set}] {Shorten(p.B.Path)}", x, y + 70, 0.4);
            if (p.A.Label >= 0 && p.B.Label >= 0 && p.A.Label != p.B.Label && p.A.Label < classes.Count && p.B.Label < classes.Count)
                Cv2.PutText(grid, $"labels differ: {classes[p.A.Label]} / {classes[p.B.Label]}", new Point(x, y + 96),
                    HersheyFonts.HersheySimplex, 0.45, new Scalar(0, 0, 200), 1, LineTypes.AntiAlias);
        }
        IO.AtomicFile.WritePng(path, grid);
    }
}
