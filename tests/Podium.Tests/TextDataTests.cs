using System.Text.Json;
using OpenCvSharp;
using Podium.Data;

namespace Podium.Tests;

/// <summary>OCR data: ICDAR/SROIE annotations in, polygons through augmentation, MMOCR-style manifests out and back.</summary>
public class TextDataTests
{
    private static string Sroie => Path.Combine(TestEnv.Datasets, "sroie");

    [Fact]
    public void ReadsSroieAnnotationsWithCommasInTheTextAndCrlfLines()
    {
        var regions = IcdarText.Read(Path.Combine(Sroie, "box", "000.txt"));
        Assert.Equal(File.ReadAllLines(Path.Combine(Sroie, "box", "000.txt")).Count(l => l.Trim().Length > 0), regions.Count);
        Assert.Equal("TAN WOON YANN", regions[0].Tag);
        Assert.Equal([new Point2d(72, 25), new Point2d(326, 25), new Point2d(326, 64), new Point2d(72, 64)], regions[0].Points);
        Assert.Contains(regions, r => r.Tag == "NO.53 55,57 & 59, JALAN SAGU 18,"); // split on the first 8 commas only
        var crlf = Path.Combine(Sroie, "box", "004.txt");
        Assert.Contains((byte)'\r', File.ReadAllBytes(crlf));
        Assert.All(IcdarText.Read(crlf), r => Assert.False(r.Tag!.EndsWith('\r')));
    }

    [Fact]
    public void OpensTheWholeSroieFolderAsTextDetectionData()
    {
        var load = DatasetReader.Open(Sroie);
        var data = Assert.IsType<TextDetectionDataset>(load.Dataset);
        Assert.Equal(626, data.Count + load.Skipped.Count);
        Assert.Empty(load.Skipped);
        int boxes = Enumerable.Range(0, data.Count).Sum(i => data.Polygons(i)!.Count);
        Assert.InRange(boxes, 33_000, 34_500); // "~33,600 boxes" (dataset README)
        Assert.Equal(["text"], data.Classes);
    }

    [Fact]
    public void BadAnnotationsAreSkippedWithFileLineAndReason()
    {
        var root = TestEnv.TempDir("icdar");
        foreach (var name in new[] { "a", "b", "c" }) TestEnv.WriteImage(Path.Combine(root, "images", name + ".png"), 40, 30,
            Scalar.All(200));
        Directory.CreateDirectory(Path.Combine(root, "gt"));
        File.WriteAllText(Path.Combine(root, "gt", "gt_a.txt"), "\uFEFF1,2,30,2,30,20,1,20,hello, world\r\n3,4,10,4,10,9,3,9,###\r\n");
        File.WriteAllText(Path.Combine(root, "gt", "gt_b.txt"), "1,2,30,2,30,20,1,20,fine\n1,2,x,2,30,20,1,20,bad\n");
        File.WriteAllText(Path.Combine(root, "gt", "gt_orphan.txt"), "1,2,3,4,5,6,7,8,x\n");
        var load = DatasetReader.Open(root);
        var data = Assert.IsType<TextDetectionDataset>(load.Dataset);
        Assert.Equal(2, data.Count);
        Assert.Equal(["hello, world", IcdarText.DontCare], data.Polygons(0)!.Select(p => p.Tag));
        // A bad line is left out, not its image: b.png keeps its good line.
        Assert.Equal(["fine"], data.Polygons(1)!.Select(p => p.Tag));
        Assert.Contains(load.Skipped,
            s => s.Where.EndsWith("gt_b.txt line 2") && s.Problem == "point 2 is not a number pair ('x,2'): line left out");
        Assert.Contains(load.Skipped, s => s.Where.EndsWith("c.png") && s.Problem.StartsWith("no annotation file"));
        Assert.Contains(load.Skipped, s => s.Where.EndsWith("gt_orphan.txt") && s.Problem == "annotation without an image");
    }

    [Fact]
    public void IcdarLinesWithPolygonsOfAnyLengthNeedTheirPointCountOrTheAnyRule()
    {
        var root = TestEnv.TempDir("icdar-poly");
        var file = Path.Combine(root, "a.txt");
        File.WriteAllText(file, string.Join('\n',
            "10,10,40,5,70,10,70,30,40,35,10,30,curved, word", // 6 points, a comma in the text
            "1,1,9,1,9,9,1,9,###",                              // a quad still reads
            "1,1,9,1,9,9,1,9,12",                               // odd run of numbers: the last is the text
            "1,1,9,1,9,9,1,9,0,5") + "\n");                     // even run: read as a fifth point (the documented ambiguity)
        var any = IcdarText.Read(file, 0);
        Assert.Equal([6, 4, 4, 5], any.Select(r => r.Points.Length));
        Assert.Equal(["curved, word", IcdarText.DontCare, "12", ""], any.Select(r => r.Tag));
        Assert.Equal(new Point2d(40, 35), any[0].Points[4]);
        Assert.Equal(new Point2d(0, 5), any[3].Points[4]);
        // The quad rule reads the first 8 numbers and keeps the rest as text, so "12,50" survives.
        var quad = Path.Combine(root, "q.txt");
        File.WriteAllText(quad, "1,1,9,1,9,9,1,9,12,50\n");
        Assert.Equal("12,50", IcdarText.Read(quad).Single().Tag);
        Assert.Equal("40,35,10,30,curved, word", IcdarText.Read(file, 4)[0].Tag); // a quad reader cannot tell: hence the setting
        var six = Path.Combine(root, "six.txt");
        File.WriteAllText(six, "10,10,40,5,70,10,70,30,40,35,10,30,curved, word\n");
        Assert.Equal("curved, word", IcdarText.Read(six, 6).Single().Tag);
        Assert.Contains("a.txt line 2: expected x1,y1,...,x6,y6,transcription, got 9 fields",
            Assert.Throws<PodiumException>(() => IcdarText.Read(file, 6)).Message);
        File.WriteAllText(quad, "1,1,9,1,word\n");
        Assert.Contains("q.txt line 1: expected at least 3 points", Assert.Throws<PodiumException>(() => IcdarText.Read(quad, 0)).Message);
        Assert.Contains("--text-points: 2 points per line",
            Assert.Throws<PodiumException>(() => IcdarText.CheckPoints(2, "--text-points")).Message);

        // A folder of such files trains through data.text_points: 0.
        TestEnv.WriteImage(Path.Combine(root, "set", "img", "a.png"), 80, 40, Scalar.All(200));
        Directory.CreateDirectory(Path.Combine(root, "set", "box"));
        File.Copy(file, Path.Combine(root, "set", "box", "a.txt"));
        Assert.Equal([4, 4, 4, 4], DatasetReader.Open(Path.Combine(root, "set")).Dataset.Polygons(0)!.Select(r => r.Points.Length));
        var load = DatasetReader.Open(Path.Combine(root, "set"), textPoints: 0);
        Assert.Equal([6, 4, 4, 5], load.Dataset.Polygons(0)!.Select(r => r.Points.Length));
        var eda = TestEnv.Podium(root, "eda", "set", "--text-points", "0", "--out", "eda");
        Assert.True(eda.ExitCode == 0, eda.Stderr + eda.Stdout);
        Assert.Contains("text regions: 4 (1 don't care)", eda.Stdout);
    }

    [Fact]
    public void UfoJsonGivesPolygonsOfAnyLengthAndIllegibleWordsAsDontCare()
    {
        var root = TestEnv.TempDir("ufo");
        TestEnv.WriteImage(Path.Combine(root, "images", "page.jpg"), 60, 40, Scalar.All(220));
        File.WriteAllText(Path.Combine(root, "ufo.json"), """
            {"images": {
              "page.jpg": {"img_h": 40, "img_w": 60, "words": {
                "0001": {"points": [[2, 2], [20, 2], [28, 8], [20, 14], [2, 14]], "transcription": "arrow", "illegibility": false},
                "0002": {"points": [[30, 20], [50, 20], [50, 30], [30, 30]], "transcription": "", "illegibility": true},
                "0003": {"points": [[1, 1], [5, 5]], "transcription": "line"}}},
              "missing.jpg": {"words": {}}}}
            """);
        var load = DatasetReader.Open(Path.Combine(root, "ufo.json"));
        var data = Assert.IsType<TextDetectionDataset>(load.Dataset);
        Assert.Equal(1, data.Count);
        var regions = data.Polygons(0)!;
        Assert.Equal(5, regions[0].Points.Length);
        Assert.Equal(["arrow", IcdarText.DontCare], regions.Select(r => r.Tag));
        Assert.Contains(load.Skipped, s => s.Where.EndsWith("words.0003") && s.Problem == "a polygon with 2 points (at least 3): left out");
        Assert.Contains(load.Skipped, s => s.Where.EndsWith("images.missing.jpg") && s.Problem.StartsWith("image not found"));
    }

    [Fact]
    public void OfflineCopiesCarryTheirPolygonsAndTheManifestReadsBack()
    {
        // Three real receipts in an ICDAR layout of their own (a temp copy, not in the repo).
        var root = TestEnv.TempDir("ocr-offline");
        foreach (var stem in new[] { "000", "001", "002" })
        {
            Directory.CreateDirectory(Path.Combine(root, "data", "img"));
            Directory.CreateDirectory(Path.Combine(root, "data", "box"));
            File.Copy(Path.Combine(Sroie, "img", stem + ".jpg"), Path.Combine(root, "data", "img", stem + ".jpg"));
            File.Copy(Path.Combine(Sroie, "box", stem + ".txt"), Path.Combine(root, "data", "box", stem + ".txt"));
        }
        File.WriteAllText(Path.Combine(root, "cfg.yaml"),
            "seed: 1\ndata: {train: data, img_size: 256}\naugment:\n  train:\n    - transpose: {p: 1}\n    - ink_bleed: {p: 1}\n");
        var run = TestEnv.Podium(root, "augment", "offline", "cfg.yaml", "--copies", "2", "--out", "aug");
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Contains("manifest.json", run.Stdout);

        var back = DatasetReader.Open(Path.Combine(root, "aug", "manifest.json"));
        var data = Assert.IsType<TextDetectionDataset>(back.Dataset);
        Assert.Empty(back.Skipped);
        Assert.Equal(3 * 3, data.Count); // each original and its 2 copies
        var source = (TextDetectionDataset)DatasetReader.Open(Path.Combine(root, "data")).Dataset;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "aug", "manifest.json")));
        var entries = doc.RootElement.GetProperty("data_list").EnumerateArray().ToArray();
        for (int i = 0; i < data.Count; i++)
        {
            int s = i / 3;
            var original = source.Polygons(s)!;
            using var image = data.Read(i, 3);
            Assert.Equal((entries[i].GetProperty("width").GetInt32(), entries[i].GetProperty("height").GetInt32()), (image.Width,
                image.Height));
            Assert.Equal(Path.GetFullPath(source.Locate(s)), entries[i].GetProperty("group").GetString());
            // Originals as they were; copies transposed: every region kept, with its text, each point mirrored on the diagonal.
            var moved = data.Polygons(i)!;
            Assert.Equal(original.Select(p => p.Tag), moved.Select(p => p.Tag));
            var expected = original.Select(p => string.Join(" ", p.Points.Select(q => i % 3 == 0 ? $"{q.X},{q.Y}" : $"{q.Y},{q.X}")));
            Assert.Equal(expected, moved.Select(p => string.Join(" ", p.Points.Select(q => $"{q.X},{q.Y}"))));
        }
    }
}
