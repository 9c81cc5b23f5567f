using OpenCvSharp;
using Podium.Data;
using static Podium.Reporting.ImageGrid;

namespace Podium.Ocr;

/// <summary>plots/val_lines.png: lines as a recogniser read them, one per row: the crop at a fixed height, its transcription (blue)
/// and the reading (red) beneath. OpenCV's font draws ASCII; other characters show as '?'.</summary>
public static class LineGallery
{
    private const int Width = 720, LineHeight = 40, Caption = 16, Gap = 8;

    public static void Write(string path, ImageDataset lines, IReadOnlyList<(int Index, string Truth, string Read)> shown)
    {
        if (shown.Count == 0) return;
        int row = LineHeight + 2 * Caption + Gap;
        using var grid = new Mat(shown.Count * row, Width, MatType.CV_8UC3, Scalar.All(255));
        for (int k = 0; k < shown.Count; k++)
        {
            var (index, truth, read) = shown[k];
            int y = k * row;
            using (var rgb = lines.Read(index, 3))
            using (var scaled = rgb.Resize(new Size(Math.Clamp(LineHeight * rgb.Width / Math.Max(1, rgb.Height), 1, Width), LineHeight)))
            using (var bgr = scaled.CvtColor(ColorConversionCodes.RGB2BGR))
                Paste(grid, bgr, 0, y);
            Text(grid, Ascii(truth), 2, y + LineHeight + Caption - 4, 0.45, new Scalar(190, 90, 0));
            Text(grid, Ascii(read), 2, y + LineHeight + 2 * Caption - 4, 0.45, new Scalar(0, 0, 190));
        }
        IO.AtomicFile.WritePng(path, grid);
    }

    private static string Ascii(string s) => s.Length == 0 ? "(nothing)" : string.Concat(s.Select(c => c is >= ' ' and <= '~' ? c : '?'));
}
