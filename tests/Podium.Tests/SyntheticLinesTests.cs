using OpenCvSharp;
using Podium.Quickstart;

namespace Podium.Tests;

/// <summary>Synthetic text lines: receipt-like texts in real fonts, the same files for a seed from the library and the CLI.</summary>
public class SyntheticLinesTests
{
    [Fact]
    public void SyntheticLinesAreReceiptLikeTextInRealFonts()
    {
        var root = TestEnv.TempDir("lines");
        SyntheticLines.Generate(root, 40, seed: 7);
        var rows = global::Podium.IO.Csv.Read(Path.Combine(root, "lines.csv"));
        Assert.Equal(["crop", "text"], rows[0]);
        Assert.Equal(40, rows.Count - 1);
        foreach (var row in rows.Skip(1))
        {
            Assert.False(string.IsNullOrWhiteSpace(row[1]));
            using var image = Cv2.ImRead(Path.Combine(root, row[0]));
            // Drawn at 20 to 36 px with a few pixels of margin, wider than tall.
            Assert.InRange(image.Height, 20, 60);
            Assert.True(image.Width > image.Height, $"{row[0]}: {image.Width}x{image.Height} for '{row[1]}'");
            // Ink darker than the paper.
            using var gray = image.CvtColor(ColorConversionCodes.BGR2GRAY);
            gray.MinMaxLoc(out double min, out double max);
            Assert.True(max - min > 80, $"{row[0]}: contrast {max - min}");
        }
        // Prices, dates and times among the lines, as on receipts; the same seed writes the same lines.
        var texts = rows.Skip(1).Select(r => r[1]).ToList();
        Assert.Contains(texts, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"\d+\.\d\d"));
        Assert.Contains(texts, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"\d\d[/-]\d\d[/-]\d\d|\d{4}-\d\d-\d\d"));
        // The CLI writes the same files for the same seed.
        var again = TestEnv.TempDir("lines-again");
        var cli = TestEnv.Podium(again, "ocr", "lines", "-n", "40", "--seed", "7", "--out", ".");
        Assert.True(cli.ExitCode == 0, cli.Stderr + cli.Stdout);
        Assert.Contains("40 synthetic lines in ", cli.Stdout);
        EndToEndTests.AssertOneLine(TestEnv.Podium(again, "ocr", "lines", "-n", "0"), "--count 0: at least 1");
        Assert.Equal(File.ReadAllText(Path.Combine(root, "lines.csv")), File.ReadAllText(Path.Combine(again, "lines.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "img", "00003.png")), File.ReadAllBytes(Path.Combine(again, "img", "00003.png")));
    }
}
