using System.Text.Json;
using OpenCvSharp;
using Podium.Ocr;

namespace Podium.Tests;

/// <summary>End-to-end OCR (issue 20): reading order, the receipt rules, the end-to-end scores, and podium ocr read with PaddleOCR's
/// detector and recogniser as they ship on a SROIE receipt.</summary>
public class OcrReadTests
{
    private static Point2d[] Box(double x, double y, double w, double h) => [new(x, y), new(x + w, y), new(x + w, y + h), new(x, y + h)];

    [Fact]
    public void RegionsAreReadTopToBottomAndLeftToRightWithinALine()
    {
        // A label and its amount on one line (the amount a little lower), a line below, and a taller line's neighbour.
        Point2d[][] regions = [Box(300, 102, 60, 20), Box(10, 100, 120, 20), Box(10, 140, 200, 20), Box(10, 60, 90, 24)];
        Assert.Equal([[3], [1, 0], [2]], ReadingOrder.Lines(regions));
        Assert.Equal("SHOP\nTOTAL 9.00\nTHANK YOU", ReadingOrder.Text(regions, ["9.00", "TOTAL", "THANK YOU", "SHOP"]));
    }

    [Fact]
    public void ReceiptRulesFindTheFourFields()
    {
        var found = ReceiptRules.Extract([
            "TAN WOON YANN", "KEDAI MAKAN SEDAP SDN BHD (123456-X)", "(GST ID: 000123456789)", "NO. 5, JALAN MAWAR 3,",
            "81100 JOHOR BAHRU.", "TEL: 07-1234567", "INVOICE NO: 1001   DATE: 12/03/2018", "NASI LEMAK 2 5.00 10.00",
            "SUB TOTAL 10.00", "GST 6% 0.60", "TOTAL 10.60", "ROUNDING ADJ -0.00", "CASH 20.00", "CHANGE 9.40"]);
        Assert.Equal(new KeyFields("KEDAI MAKAN SEDAP SDN BHD", "12/03/2018", "NO. 5, JALAN MAWAR 3, 81100 JOHOR BAHRU.", "10.60"),
            found);
        // On SROIE's own lines (truth transcriptions in reading order) the rules find most dates of the first receipts.
        var sroie = Path.Combine(TestEnv.Datasets, "sroie");
        var pairs = Enumerable.Range(0, 20).Select(i => i.ToString("000")).Select(id =>
        {
            var regions = Podium.Data.IcdarText.Read(Path.Combine(sroie, "box", id + ".txt"));
            var text = ReadingOrder.Text([.. regions.Select(r => r.Points)], [.. regions.Select(r => r.Tag ?? "")]);
            return (KeyFields.Load(Path.Combine(sroie, "key", id + ".json")), ReceiptRules.Extract(text.Split('\n')));
        }).ToList();
        var score = KeyFieldScore.Of(pairs);
        Assert.Equal(20, score.Receipts);
        Assert.True(score.Exact["date"] >= 0.9, $"dates {score.Exact["date"]}");
        Assert.True(score.Exact["company"] >= 0.5 && score.Exact["total"] >= 0.5, string.Join(", ", score.Exact));
        Assert.True(score.Loose["address"] >= score.Exact["address"]);
    }

    [Fact]
    public void EndToEndMatchesNeedOverlapAndEqualText()
    {
        Podium.Augment.Polygon[] truth = [new(Box(0, 0, 100, 20), "TOTAL"), new(Box(0, 30, 100, 20), "9.00"),
            new(Box(0, 60, 100, 20), "###")];
        ReadRegion[] read = [new(Box(2, 1, 100, 20), 0.9, "TOTAL", 0.9), new(Box(0, 31, 100, 20), 0.9, "9.0O", 0.5),
            new(Box(200, 0, 50, 20), 0.9, "EXTRA", 0.5), new(Box(0, 60, 100, 20), 0.9, "XX", 0.5)];
        var page = PageScore.Of("p", truth, read);
        // The don't-care region's reading counts on neither side; the second line is found but misread; EXTRA matches nothing.
        Assert.Equal((2, 3, 2, 1), (page.Truth, page.Read, page.Located, page.Correct));
        var total = EndToEndScore.Of([page]);
        Assert.Equal(1 / 3.0, total.Precision, 12);
        Assert.Equal(0.5, total.Recall, 12);
        Assert.Equal("TOTAL\n9.00", page.TruthText);
        Assert.Equal("TOTAL EXTRA\n9.0O\nXX", page.ReadText);
    }

    [Fact]
    public void OcrReadDetectsAndReadsAReceiptAndScoresIt()
    {
        var root = TestEnv.TempDir("ocr-read");
        var sroie = Path.Combine(TestEnv.Datasets, "sroie");
        foreach (var sub in new[] { "img", "box", "key" }) Directory.CreateDirectory(Path.Combine(root, sub));
        File.Copy(Path.Combine(sroie, "img", "000.jpg"), Path.Combine(root, "img", "000.jpg"));
        File.Copy(Path.Combine(sroie, "box", "000.txt"), Path.Combine(root, "box", "000.txt"));
        File.Copy(Path.Combine(sroie, "key", "000.json"), Path.Combine(root, "key", "000.json"));
        var env = new Dictionary<string, string> { ["PODIUM_CACHE"] = OcrWeights.CacheRoot };
        var r = TestEnv.Podium(root, env, "ocr", "read", "--det", "ppocrv4-det", "--rec", "ppocrv4-rec", "--input", "img", "--truth", "box",
            "--keys", "key", "--out", "read");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Matches(@"1 pages, \d+ regions; per page \(median\): detection \d+ \+ \d+ ms", r.Stdout);
        Assert.Contains("key fields from the truth lines (the rules alone) (1 receipts)", r.Stdout);
        foreach (var file in new[] { "000.json", "res_000.txt", "000.txt", "000_read.jpg", "scores.csv", "scores.json" })
            Assert.True(File.Exists(Path.Combine(root, "read", file)), file);
        using var page = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "read", "000.json")));
        var regions = page.RootElement.GetProperty("regions");
        Assert.True(regions.GetArrayLength() > 20, $"{regions.GetArrayLength()} regions");
        Assert.Equal(regions.GetArrayLength(), File.ReadAllLines(Path.Combine(root, "read", "res_000.txt")).Length);
        Assert.Equal("25/12/2018", page.RootElement.GetProperty("fields").GetProperty("date").GetString());
        // PaddleOCR as it ships finds nearly every line and reads most words of this receipt (its case and spacing are not SROIE's).
        using var scores = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "read", "scores.json")));
        Assert.True(scores.RootElement.GetProperty("detection_hmean").GetDouble() > 0.8, scores.RootElement.ToString());
        Assert.True(scores.RootElement.GetProperty("ncer").GetDouble() < 0.3, scores.RootElement.ToString());
        Assert.Contains("TANWOONYANN", File.ReadAllText(Path.Combine(root, "read", "000.txt")).ToUpperInvariant().Replace(" ", ""));

        // A detection run given as the recogniser: one line naming it.
        var det = Path.Combine(root, "det-run");
        Directory.CreateDirectory(det);
        File.WriteAllText(Path.Combine(det, "config.yaml"), "data: {train: x}\nocr: {}\n");
        File.WriteAllText(Path.Combine(det, "classes.txt"), "text\n");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, env, "ocr", "read", "--det", "ppocrv4-det", "--rec", "det-run", "--input", "img"),
            "config.yaml: not a text-recognition run (task text_detection, no rec section)");
    }

    [Fact]
    public void OcrRecognizeReadsLinesGreedilyOrLimitedToALexiconOrAPattern()
    {
        var root = TestEnv.TempDir("ocr-recognize");
        var sroie = Path.Combine(TestEnv.Datasets, "sroie");
        foreach (var sub in new[] { "img", "box" }) Directory.CreateDirectory(Path.Combine(root, sub));
        File.Copy(Path.Combine(sroie, "img", "000.jpg"), Path.Combine(root, "img", "000.jpg"));
        File.Copy(Path.Combine(sroie, "box", "000.txt"), Path.Combine(root, "box", "000.txt"));
        var truth = Podium.Data.IcdarText.Read(Path.Combine(root, "box", "000.txt")).Select(r => r.Tag!).ToList();
        File.WriteAllLines(Path.Combine(root, "lexicon.txt"), truth);
        var env = new Dictionary<string, string> { ["PODIUM_CACHE"] = OcrWeights.CacheRoot };
        List<string[]> Recognize(string csv, params string[] args)
        {
            var r = TestEnv.Podium(root, env, ["ocr", "recognize", "--rec", "ppocrv4-rec", "--input", ".", "--out", csv, .. args]);
            Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
            Assert.Matches(@$"{truth.Count} lines; per line: network [\d.]+ ms, decoding [\d.]+ ms", r.Stdout);
            Assert.Matches(@$"against the {truth.Count} transcriptions: CER [\d.]+ %", r.Stdout);
            var rows = Podium.IO.Csv.Read(Path.Combine(root, csv));
            Assert.Equal(["line", "read", "confidence", "truth", "edits"], rows[0]);
            Assert.Equal(truth, rows.Skip(1).Select(row => row[3]));
            return [.. rows.Skip(1)];
        }
        static double Exact(List<string[]> rows) => rows.Count(r => r[1] == r[3]) / (double)rows.Count;
        var greedy = Recognize("greedy.csv");
        // The receipt's own lines as the lexicon (the "full lexicon" protocol): every reading is one of them, and more are exact.
        var lexicon = Recognize("lexicon.csv", "--lexicon", "lexicon.txt", "--max-edits", "6");
        Assert.All(lexicon, r => Assert.True(r[1].Length == 0 || truth.Contains(r[1]), r[1]));
        Assert.True(Exact(lexicon) > Exact(greedy) && Exact(lexicon) > 0.8, $"{Exact(greedy)} -> {Exact(lexicon)}");
        // A pattern: only readings that are a date and a time; the receipt's one such line is read, the others are empty.
        var dated = Recognize("pattern.csv", "--pattern", @"\d\d/\d\d/\d{4} .*").Single(r => r[1].Length > 0);
        Assert.Equal("25/12/2018 8:13:39 PM", dated[3]);
        Assert.StartsWith("25/12/2018 8:13:39", dated[1]);

        EndToEndTests.AssertOneLine(TestEnv.Podium(root, env, "ocr", "recognize", "--rec", "ppocrv4-rec", "--input", ".", "--pattern", "("),
            "--pattern (: not a regular expression");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, env, "ocr", "recognize", "--rec", "ppocrv4-rec", "--input", ".", "--lexicon",
            "none.txt"), "none.txt: no such lexicon file");
    }

    [Fact]
    public void OcrScoreScoresAnyToolsPlainTextAgainstTheTruthLines()
    {
        var root = TestEnv.TempDir("ocr-score");
        Directory.CreateDirectory(Path.Combine(root, "gt"));
        Directory.CreateDirectory(Path.Combine(root, "text"));
        File.WriteAllLines(Path.Combine(root, "gt", "gt_a.txt"), ["10,50,90,50,90,70,10,70,CASH", "10,10,90,10,90,30,10,30,TOTAL 12.50"]);
        File.WriteAllLines(Path.Combine(root, "gt", "b.txt"), ["10,10,90,10,90,30,10,30,THANK YOU", "10,40,90,40,90,60,10,60,###"]);
        File.WriteAllText(Path.Combine(root, "text", "a.txt"), "TOTAL 12.50\ncash\n");
        // Page a in reading order is "TOTAL 12.50\nCASH" (16 characters), read with 4 case errors; page b (9 characters, the
        // don't-care line aside) has no reading: CER 13 / 25. Case and spaces aside: 8 / 22. Words: 2 of the 3 read match, 2 of
        // the 5 written are found.
        var r = TestEnv.Podium(root, "ocr", "score", "--truth", "gt", "--text", "text");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("2 pages (1 without a reading, counted as empty): CER 52.00 % (case and spaces aside 36.36 %), SROIE word " +
            "precision 0.6667, recall 0.4000, F1 0.5000", r.Stdout);
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "ocr", "score", "--truth", "gt", "--text", "none"), "none: no such folder");
    }
}
