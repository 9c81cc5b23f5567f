using System.Globalization;
using OpenCvSharp;
using Podium.Augment;
using Podium.IO;
using SkiaSharp;

namespace Podium.Quickstart;

/// <summary>
/// Text-line images the project makes itself, for pre-training recognisers and for tests: receipt-like strings (prices,
/// dates, times, codes, quantities, words) drawn with real TrueType fonts from Debian's fonts-dejavu-core and
/// fonts-liberation on paper-toned strips, then degraded with Podium's document transforms (paper texture, ink bleed,
/// blur, noise, a small rotation). Written as img/NNNNN.png and lines.csv (crop,text), the columns `podium ocr crop`
/// writes, so a recogniser reads both alike.
/// </summary>
public static class SyntheticLines
{
    /// <summary>Where Debian puts the two font packages.</summary>
    public static readonly string[] FontFolders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation"];

    private static readonly string[] Words =
    [
        "TOTAL", "CASH", "CHANGE", "INVOICE", "DATE", "QTY", "PRICE", "AMOUNT", "TAX", "SUBTOTAL", "THANK", "YOU", "ROUNDING",
        "RM", "No.", "ITEM", "PAID", "BALANCE", "Store", "Receipt", "Coffee", "Bread", "Milk", "Sugar", "Tea", "Rice", "GST",
        "Cashier", "Table", "Member", "SDN", "BHD", "JALAN", "TAMAN", "Tel", "Fax", "Discount", "Service", "Charge", "Items",
        "Mineral", "Water", "Chicken", "Noodle", "Fried", "Please", "come", "again", "Goods", "sold", "are", "not", "returnable",
    ];

    /// <summary>The regular TrueType fonts of <see cref="FontFolders"/> (math fonts left out: their Latin is not text).</summary>
    public static IReadOnlyList<string> Fonts()
    {
        var fonts = FontFolders.Where(Directory.Exists).SelectMany(d => Directory.GetFiles(d, "*.ttf"))
            .Where(f => !Path.GetFileName(f).Contains("Math", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (fonts.Count == 0)
            throw new PodiumException($"no TrueType fonts in {string.Join(" or ", FontFolders)}: synthetic text lines need " +
                "fonts-dejavu-core or fonts-liberation (scripts/setup.sh installs them)");
        return fonts;
    }

    /// <summary>The fonts of <see cref="Fonts"/>, loaded once and kept for the process: after a typeface from a file was
    /// disposed, SkiaSharp returned null for later loads of that file (seen in the tests), and ScottPlot loads fonts too.</summary>
    public static IReadOnlyList<SKTypeface> Typefaces => LoadedTypefaces.Value;

    private static readonly Lazy<IReadOnlyList<SKTypeface>> LoadedTypefaces = new(() => [.. Fonts().Select(f =>
        SKTypeface.FromFile(f) ?? throw new PodiumException($"{f}: not a font SkiaSharp can read"))]);

    /// <summary>Writes <paramref name="count"/> line images under <paramref name="root"/> (img/, lines.csv).</summary>
    public static void Generate(string root, int count, int seed)
    {
        var rng = new Random(seed);
        var faces = Typefaces;
        Directory.CreateDirectory(Path.Combine(root, "img"));
        var degrade = TransformRegistry.Build([
            TransformRegistry.Item("paper_texture", ("p", "0.5")),
            TransformRegistry.Item("ink_bleed", ("p", "0.3")),
            TransformRegistry.Item("gaussian_blur", ("p", "0.3")),
            TransformRegistry.Item("gauss_noise", ("p", "0.4")),
            TransformRegistry.Item("rotate", ("p", "0.5"), ("limit", "2"), ("border_mode", "replicate")),
        ], "synthetic lines", 256, [0.5], [0.5]).Transforms;
        var rows = new List<string> { "crop,text" };
        for (int i = 0; i < count; i++)
        {
            var text = Text(rng);
            using var line = Render(text, faces[rng.Next(faces.Count)], rng);
            using var target = new AugmentTarget(line);
            degrade.Apply(target, rng);
            var name = $"img/{i:D5}.png";
            using (var bgr = new Mat())
            {
                Cv2.CvtColor(target.Image, bgr, ColorConversionCodes.RGB2BGR);
                AtomicFile.WritePng(Path.Combine(root, name), bgr);
            }
            rows.Add(Csv.Line([name, text]));
        }
        AtomicFile.WriteAllLines(Path.Combine(root, "lines.csv"), rows);
    }

    /// <summary>One receipt-like line: one to four pieces among words, prices, dates, times, codes and quantities.</summary>
    public static string Text(Random rng)
    {
        var pieces = Enumerable.Range(0, 1 + rng.Next(4)).Select(_ => rng.Next(10) switch
        {
            < 4 => Words[rng.Next(Words.Length)],
            4 or 5 => (rng.Next(2) == 0 ? "" : "RM") +
                (rng.Next(2000) / 100.0 + rng.Next(3) * 10).ToString("0.00", CultureInfo.InvariantCulture),
            6 => new DateTime(2016, 1, 1).AddDays(rng.Next(2000)).ToString(rng.Next(3) switch
            {
                0 => "dd/MM/yyyy",
                1 => "yyyy-MM-dd",
                _ => "dd-MM-yy",
            }, CultureInfo.InvariantCulture),
            7 => $"{rng.Next(24):D2}:{rng.Next(60):D2}" + (rng.Next(2) == 0 ? $":{rng.Next(60):D2}" : ""),
            8 => (rng.Next(3) switch { 0 => "INV", 1 => "#", _ => "CS" }) + (rng.Next(2) == 0 ? "-" : "") +
                rng.Next(100000).ToString("D5", CultureInfo.InvariantCulture),
            _ => string.Create(CultureInfo.InvariantCulture, $"{1 + rng.Next(12)} x {rng.Next(1000) / 100.0:0.00}"),
        });
        return string.Join(' ', pieces);
    }

    /// <summary>The text drawn in <paramref name="face"/> at 20 to 36 px on a paper-toned strip with a few pixels of margin
    /// (RGB, as pipelines hold images).</summary>
    public static Mat Render(string text, SKTypeface face, Random rng)
    {
        using var font = new SKFont(face, 20 + rng.Next(17)) { Subpixel = true, Edging = SKFontEdging.Antialias };
        float width = font.MeasureText(text);
        var metrics = font.Metrics;
        int left = 2 + rng.Next(9), right = 2 + rng.Next(9), top = 2 + rng.Next(6), bottom = 2 + rng.Next(6);
        int w = (int)Math.Ceiling(width) + left + right, h = (int)Math.Ceiling(metrics.Descent - metrics.Ascent) + top + bottom;
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor((byte)(215 + rng.Next(41)), (byte)(210 + rng.Next(46)), (byte)(195 + rng.Next(61))));
            using var ink = new SKPaint
            {
                Color = new SKColor((byte)rng.Next(70), (byte)rng.Next(70), (byte)rng.Next(90)),
                IsAntialias = true,
            };
            canvas.DrawText(text, left, top - metrics.Ascent, SKTextAlign.Left, font, ink);
        }
        using var four = Mat.FromPixelData(h, w, MatType.CV_8UC4, bitmap.GetPixels(), bitmap.RowBytes);
        var rgb = new Mat();
        Cv2.CvtColor(four, rgb, ColorConversionCodes.RGBA2RGB);
        return rgb;
    }
}
