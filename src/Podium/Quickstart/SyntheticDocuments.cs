using System.Globalization;
using OpenCvSharp;
using Podium.Augment;
using Podium.IO;

namespace Podium.Quickstart;

/// <summary>
/// Document images the project makes itself, for OCR quickstarts and tests: lines of words drawn with OpenCV's
/// Hershey fonts on paper-toned pages, each word's box known exactly, then degraded with Podium's document
/// transforms (paper texture, uneven lighting, ink bleed, noise), which carry the boxes along. Written as an
/// ICDAR 2015 folder: img/NNN.png and box/NNN.txt (x1,y1,...,x4,y4,word; some words marked ### as illegible).
/// </summary>
public static class SyntheticDocuments
{
    private static readonly string[] Words =
    [
        "TOTAL", "CASH", "CHANGE", "INVOICE", "DATE", "QTY", "PRICE", "AMOUNT", "TAX", "SUBTOTAL", "THANK", "YOU",
        "RM", "12.50", "3.00", "2024-05-01", "No.", "ITEM", "PAID", "BALANCE", "store", "receipt", "coffee", "bread",
        "milk", "sugar", "tea", "rice", "#1024", "x2", "GST", "0.60", "45.90", "Cashier", "Table", "Member",
    ];

    private static readonly HersheyFonts[] Fonts =
        [HersheyFonts.HersheySimplex, HersheyFonts.HersheyDuplex, HersheyFonts.HersheyComplex, HersheyFonts.HersheyPlain,
            HersheyFonts.HersheyTriplex];

    /// <summary>Writes <paramref name="count"/> pages of <paramref name="width"/>×<paramref name="height"/> under <paramref name="root"/>
    /// (img/, box/).</summary>
    public static void Generate(string root, int count, int width, int height, int seed)
    {
        var rng = new Random(seed);
        Directory.CreateDirectory(Path.Combine(root, "img"));
        Directory.CreateDirectory(Path.Combine(root, "box"));
        var degrade = TransformRegistry.Build([
            TransformRegistry.Item("paper_texture", ("p", "0.7")),
            TransformRegistry.Item("lighting_gradient", ("p", "0.5")),
            TransformRegistry.Item("ink_bleed", ("p", "0.4")),
            TransformRegistry.Item("gauss_noise", ("p", "0.5")),
        ], "synthetic documents", Math.Max(width, height), [0.5], [0.5]).Transforms;
        for (int i = 0; i < count; i++)
        {
            var (page, regions) = Page(width, height, rng);
            using var target = new AugmentTarget(page).WithPolygons(regions);
            degrade.Apply(target, rng);
            var name = i.ToString("D3", CultureInfo.InvariantCulture);
            using (var bgr = new Mat())
            {
                Cv2.CvtColor(target.Image, bgr, ColorConversionCodes.RGB2BGR);
                AtomicFile.WritePng(Path.Combine(root, "img", name + ".png"), bgr);
            }
            AtomicFile.WriteAllLines(Path.Combine(root, "box", name + ".txt"), target.Polygons.Select(p =>
                string.Join(',', p.Points.SelectMany(q => new[] { q.X,
                    q.Y }).Select(v => Math.Round(v).ToString(CultureInfo.InvariantCulture))) + "," + p.Tag));
        }
    }

    /// <summary>One clean page (RGB) and its word boxes.</summary>
    public static (Mat Page, List<Polygon> Regions) Page(int width, int height, Random rng)
    {
        var paper = new Scalar(230 + rng.Next(20), 225 + rng.Next(25), 210 + rng.Next(35));
        var page = new Mat(height, width, MatType.CV_8UC3, paper);
        var regions = new List<Polygon>();
        int y = 10 + rng.Next(15);
        while (true)
        {
            var font = Fonts[rng.Next(Fonts.Length)];
            double scale = 0.45 + rng.NextDouble() * 0.6;
            int thickness = rng.NextDouble() < 0.7 ? 1 : 2;
            var probe = Cv2.GetTextSize("Hg", font, scale, thickness, out int baseline);
            int lineTop = y, lineBottom = y + probe.Height + baseline;
            if (lineBottom + 4 > height) break;
            int x = 8 + rng.Next(30);
            var ink = new Scalar(rng.Next(60), rng.Next(60), rng.Next(80));
            foreach (var _ in Enumerable.Range(0, 1 + rng.Next(5)))
            {
                var word = Words[rng.Next(Words.Length)];
                var size = Cv2.GetTextSize(word, font, scale, thickness, out baseline);
                if (x + size.Width + 6 > width) break;
                int baselineY = lineTop + probe.Height;
                Cv2.PutText(page, word, new Point(x, baselineY), font, scale, ink, thickness, LineTypes.AntiAlias);
                // The word's box: from the cap height to below the baseline, with a pixel of margin around the ink.
                double x1 = x - 2, x2 = x + size.Width + 2, y1 = baselineY - size.Height - 2, y2 = baselineY + baseline;
                regions.Add(new Polygon([new(x1, y1), new(x2, y1), new(x2, y2), new(x1, y2)],
                    rng.NextDouble() < 0.05 ? Data.IcdarText.DontCare : word));
                x += size.Width + 10 + rng.Next(25);
            }
            y = lineBottom + 6 + rng.Next(18);
        }
        return (page, regions);
    }
}
