using System.Buffers.Binary;
using System.IO.Compression;
using OpenCvSharp;
using Podium.Data;

namespace Podium.Tests;

public class DataReaderTests
{
    /// <summary>An ImageFolder tree with one good image per class and every kind of bad input.</summary>
    private static string BadFolder()
    {
        var root = TestEnv.TempDir("folder");
        TestEnv.WriteImage(Path.Combine(root, "cat", "ok.png"), 20, 10, new Scalar(1, 2, 3));
        TestEnv.WriteImage(Path.Combine(root, "dog", "ok.jpg"), 20, 10, new Scalar(9, 9, 9));
        Cv2.ImEncode(".jpg", new Mat(40, 40, MatType.CV_8UC3, Scalar.All(100)), out var jpeg);
        File.WriteAllBytes(Path.Combine(root, "dog", "truncated.jpg"), jpeg[..(jpeg.Length / 2)]);
        File.WriteAllBytes(Path.Combine(root, "dog", "zero.jpg"), []);
        File.WriteAllBytes(Path.Combine(root, "cat", "anim.gif"), "GIF89a\u0001\0\u0001\0\0\0\0;"u8.ToArray());
        File.WriteAllText(Path.Combine(root, "cat", "notes.txt"), "not an image");
        File.WriteAllBytes(Path.Combine(root, "cat", "fake.png"), jpeg); // JPEG bytes behind .png
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        return root;
    }

    [Fact]
    public void ImageFolderSkipsBadInputsAndSaysWhy()
    {
        var root = BadFolder();
        var load = DatasetReader.Open(root);
        Assert.Equal(["cat", "dog"], load.Dataset.Classes); // the empty class folder is not a class
        Assert.Equal(2, load.Dataset.Count);
        var problems = load.Skipped.ToDictionary(s => Path.GetFileName(s.Where), s => s.Problem);
        Assert.Equal("truncated JPEG (no end-of-image marker)", problems["truncated.jpg"]);
        Assert.Equal("empty file (0 bytes)", problems["zero.jpg"]);
        Assert.StartsWith("GIF is not supported", problems["anim.gif"]);
        Assert.Equal("not an image file (extension)", problems["notes.txt"]);
        Assert.Equal("JPEG data behind a '.png' extension", problems["fake.png"]);
        Assert.Equal("empty class folder (no images)", problems["empty"]);
        Assert.Equal(6, load.Skipped.Count);
        Assert.Contains("1 truncated JPEG", load.SkipSummary());
    }

    [Fact]
    public async Task LoopingFolderLinksAreReadOnceAndReported()
    {
        var root = TestEnv.TempDir("links");
        foreach (var (cls, n) in new[] { ("rose", 3), ("tulip", 2) })
            for (int i = 0; i < n; i++) TestEnv.WriteImage(Path.Combine(root, cls, $"{i}.png"), 8, 8, Scalar.All(10 * i));
        TestEnv.WriteImage(Path.Combine(root, "tulip", "deep", "d.png"), 8, 8, Scalar.All(1));
        Directory.CreateSymbolicLink(Path.Combine(root, "rose", "loop"), ".");
        Directory.CreateSymbolicLink(Path.Combine(root, "tulip", "up"), "../rose");
        Directory.CreateSymbolicLink(Path.Combine(root, "tulip", "deep", "back"), "..");
        Directory.CreateSymbolicLink(Path.Combine(root, "roses"), "rose"); // a second class folder that is the first
        // Walks followed these links forever (21 GB and counting); now each real folder is read once.
        var load = await Task.Run(() => DatasetReader.Open(root)).WaitAsync(TimeSpan.FromSeconds(60)); // TimeoutException: a hang
        Assert.Equal(["rose", "tulip"], load.Dataset.Classes);
        Assert.Equal(6, load.Dataset.Count); // 3 roses, 2 + 1 tulips: none twice, no rose as a tulip
        var links = load.Skipped.Where(s => s.Problem == FolderWalk.LinkProblem)
            .Select(s => Path.GetRelativePath(root, s.Where)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["rose/loop", "roses", "tulip/deep/back", "tulip/up"], links);
        Assert.Equal(4, load.Skipped.Count);
        Assert.Contains("4 a link to a folder read already", load.SkipSummary());
        // Prediction input (any folder of images) is walked the same way: the roses behind tulip/up count once, the loops not.
        var flat = DatasetReader.Open(Path.Combine(root, "tulip"), labelled: false);
        Assert.Equal(6, flat.Dataset.Count);
        Assert.Equal(["deep/back", "up/loop"], flat.Skipped.Select(s => Path.GetRelativePath(Path.Combine(root, "tulip"), s.Where)).Order(
            StringComparer.Ordinal));
    }

    [Fact]
    public void JpegsWithBytesAfterTheirEndAreReadAndCutOnesAreNot()
    {
        var root = TestEnv.TempDir("jpeg-tail");
        using var image = new Mat(24, 32, MatType.CV_8UC3);
        Cv2.Randu(image, Scalar.All(0), Scalar.All(255));
        var tail = "appended by a phone: not image data \xff\xd8"u8.ToArray();
        foreach (var (name, progressive) in new[] { ("baseline", 0), ("progressive", 1) })
        {
            Cv2.ImEncode(".jpg", image, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegProgressive, progressive));
            File.WriteAllBytes(Path.Combine(root, name + ".jpg"), jpeg);
            File.WriteAllBytes(Path.Combine(root, name + "-tail.jpg"), [.. jpeg, .. tail]);
            File.WriteAllBytes(Path.Combine(root, name + "-cut.jpg"), jpeg[..(jpeg.Length * 2 / 3)]);
            File.WriteAllBytes(Path.Combine(root, name + "-cut-tail.jpg"), [.. jpeg[..(jpeg.Length * 2 / 3)], .. new byte[64]]);
        }
        foreach (var name in new[] { "baseline", "progressive" })
        {
            Assert.Null(ImageDecoder.Problem(Path.Combine(root, name + "-tail.jpg")));
            using var whole = ImageDecoder.Read(Path.Combine(root, name + ".jpg"), 3);
            using var tailed = ImageDecoder.Read(Path.Combine(root, name + "-tail.jpg"), 3);
            Assert.Equal(0, Cv2.Norm(whole, tailed, NormTypes.L1)); // the same pixels
            Assert.Equal("truncated JPEG (no end-of-image marker)", ImageDecoder.Problem(Path.Combine(root, name + "-cut.jpg")));
            Assert.Equal("truncated JPEG (no end-of-image marker)", ImageDecoder.Problem(Path.Combine(root, name + "-cut-tail.jpg")));
        }
    }

    [Fact]
    public void StopPolicyRefusesWithTheFirstFileAndTheCount()
    {
        var load = DatasetReader.Open(BadFolder());
        var e = Assert.Throws<PodiumException>(() => load.Enforce("stop"));
        Assert.Contains("(and 5 more bad inputs)", e.Message);
        Assert.Contains("data.on_bad_input: skip", e.Message);
        Assert.Same(load.Dataset, load.Enforce("skip"));
    }

    [Fact]
    public void ValidationFolderWithAnUnknownClassIsReported()
    {
        var root = TestEnv.TempDir("val");
        TestEnv.WriteImage(Path.Combine(root, "cat", "a.png"), 8, 8, Scalar.All(0));
        TestEnv.WriteImage(Path.Combine(root, "dgo", "b.png"), 8, 8, Scalar.All(0));
        var load = DatasetReader.Open(root, ["cat", "dog"]);
        Assert.Equal(1, load.Dataset.Count);
        Assert.Contains("unknown label 'dgo'", Assert.Single(load.Skipped).Problem);
        Assert.Contains("did you mean 'dog'?", load.Skipped[0].Problem);
    }

    [Fact]
    public void PredictionFoldersTakeEveryImageWhateverTheSubfolders()
    {
        var root = TestEnv.TempDir("pred");
        TestEnv.WriteImage(Path.Combine(root, "a.png"), 8, 8, Scalar.All(0));
        TestEnv.WriteImage(Path.Combine(root, "batch1", "b.png"), 8, 8, Scalar.All(0));
        TestEnv.WriteImage(Path.Combine(root, "batch2", "deeper", "c.jpg"), 8, 8, Scalar.All(0));
        var load = DatasetReader.Open(root, ["cat", "dog"], labelled: false);
        Assert.Equal(3, load.Dataset.Count);
        Assert.Empty(load.Skipped);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(ImageDataset.Unlabelled, load.Dataset.Label(i)));
        Assert.Throws<PodiumException>(() => DatasetReader.Open(Path.Combine(root, "batch1"))); // labelled data needs class folders
    }

    [Fact]
    public void CsvManifestResolvesPathsRelativeToItselfAndReportsBadRows()
    {
        var root = TestEnv.TempDir("csv");
        TestEnv.WriteImage(Path.Combine(root, "img", "a.png"), 8, 8, Scalar.All(0));
        TestEnv.WriteImage(Path.Combine(root, "img", "b c.png"), 8, 8, Scalar.All(0));
        File.WriteAllText(Path.Combine(root, "train.csv"),
            "\uFEFFpath,label\r\nimg/a.png,cat\r\n\"img/b c.png\",\"dog, big\"\r\nimg/missing.png,cat\r\nimg/a.png\r\n");
        var load = DatasetReader.Open(Path.Combine(root, "train.csv"));
        Assert.Equal(["cat", "dog, big"], load.Dataset.Classes);
        Assert.Equal(2, load.Dataset.Count);
        Assert.Equal(Path.Combine(root, "img", "b c.png"), load.Dataset.Locate(1));
        Assert.Contains(load.Skipped, s => s.Where.EndsWith("line 4") && s.Problem == "file not found: img/missing.png");
        Assert.Contains(load.Skipped, s => s.Where.EndsWith("line 5") && s.Problem.Contains("1 fields, the header has 2"));

        var withClasses = DatasetReader.Open(Path.Combine(root, "train.csv"), ["cat", "dog"]);
        Assert.Contains(withClasses.Skipped, s => s.Problem == "unknown label 'dog, big'");
    }

    [Fact]
    public void RepeatedAndContradictoryManifestRowsAreLeftOutWithALine()
    {
        var root = TestEnv.TempDir("csv-dups");
        foreach (var n in new[] { "a", "b", "c", "d" }) TestEnv.WriteImage(Path.Combine(root, "img", n + ".png"), 8, 8, Scalar.All(0));
        // b twice with one label (once through another spelling of its path), c under two labels, d twice in a box manifest.
        File.WriteAllText(Path.Combine(root, "train.csv"),
            "path,label\nimg/a.png,cat\nimg/b.png,dog\nimg/c.png,cat\n./img/b.png,dog\nimg/c.png,dog\nimg/d.png,dog\n");
        var load = DatasetReader.Open(Path.Combine(root, "train.csv"));
        Assert.Equal(["a.png", "b.png", "d.png"],
            Enumerable.Range(0, load.Dataset.Count).Select(i => Path.GetFileName(load.Dataset.Locate(i))));
        var why = load.Skipped.ToDictionary(s => s.Where[(s.Where.LastIndexOf(' ') + 1)..], s => s.Problem);
        Assert.Equal("a repeat of line 3 (same image, same label)", why["5"]);
        Assert.Equal("the same image under different labels ('cat' at line 4, 'dog' at line 6): left out", why["4"]);
        Assert.Equal(why["4"], why["6"]);
        Assert.Equal(3, load.Skipped.Count);

        // Multi-label: the same set in another order is a repeat; another set is a contradiction.
        File.WriteAllText(Path.Combine(root, "tags.csv"), "path,label\nimg/a.png,x y\nimg/a.png,y x\nimg/b.png,x\nimg/b.png,y\n");
        var tags = DatasetReader.Open(Path.Combine(root, "tags.csv"), multiLabel: true);
        Assert.Equal(1, tags.Dataset.Count);
        Assert.Equal(["a repeat of line 2 (same image, same label)", .. Enumerable.Repeat(
            "the same image under different labels ('x' at line 4, 'y' at line 5): left out", 2)], tags.Skipped.Select(s => s.Problem));

        // Boxes of one image are samples of their own; the same box twice is a repeat.
        File.WriteAllText(Path.Combine(root, "boxes.csv"), "path,label,x,y,w,h\nimg/d.png,cat,0,0,4,4\nimg/d.png,dog,4,4,4,4\n" +
            "img/d.png,dog,4,4,4,4\n");
        var boxes = DatasetReader.Open(Path.Combine(root, "boxes.csv"));
        Assert.Equal(2, boxes.Dataset.Count);
        Assert.Equal("a repeat of line 3 (same image, same label)", Assert.Single(boxes.Skipped).Problem);
    }

    [Fact]
    public void CsvWithoutPathColumnFailsNamingTheFile()
    {
        var root = TestEnv.TempDir("csvbad");
        var csv = Path.Combine(root, "x.csv");
        File.WriteAllText(csv, "image_name,label\na.png,cat\n");
        var e = Assert.Throws<PodiumException>(() => DatasetReader.Open(csv));
        Assert.StartsWith(csv + ": no path column", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IdxFilesRawAndGzipped(bool gz)
    {
        var root = TestEnv.TempDir("idx");
        var images = new byte[16 + 3 * 2 * 2];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), 3);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), 2);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), 2);
        for (int i = 16; i < images.Length; i++) images[i] = (byte)(i * 10);
        var labels = new byte[8 + 3];
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), 3);
        labels[8] = 2; labels[9] = 0; labels[10] = 1;
        string suffix = gz ? ".gz" : "";
        Write(Path.Combine(root, "train-images-idx3-ubyte" + suffix), images, gz);
        Write(Path.Combine(root, "train-labels-idx1-ubyte" + suffix), labels, gz);

        var load = DatasetReader.Open(Path.Combine(root, "train-images-idx3-ubyte" + suffix));
        Assert.Equal(3, load.Dataset.Count);
        Assert.Equal([2, 0, 1], load.Dataset.Labels());
        using var gray = load.Dataset.Read(1, 1);
        Assert.Equal(images[16 + 4], gray.At<byte>(0, 0));
        using var rgb = load.Dataset.Read(1, 3);
        Assert.Equal(3, rgb.Channels());

        static void Write(string path, byte[] bytes, bool gz)
        {
            using var f = File.Create(path);
            using Stream s = gz ? new GZipStream(f, CompressionLevel.Fastest) : f;
            s.Write(bytes);
        }
    }

    [Fact]
    public void RealNotMnistIdxHasTenBalancedClasses()
    {
        var load = DatasetReader.Open(Path.Combine(TestEnv.Datasets, "notmnist", "t10k-images-idx3-ubyte.gz"));
        Assert.Equal(10_000, load.Dataset.Count);
        Assert.Equal(10, load.Dataset.Classes.Count);
        Assert.All(load.Dataset.Labels().GroupBy(l => l), g => Assert.Equal(1000, g.Count()));
        using var img = load.Dataset.Read(0, 1);
        Assert.Equal((28, 28), (img.Width, img.Height));
    }

    [Fact]
    public void RealHymenopteraKeepsJpegVariantsAndSkipsTheGifPlaceholder()
    {
        var load = DatasetReader.Open(Path.Combine(TestEnv.Datasets, "hymenoptera", "train"));
        Assert.Equal(["ants", "bees"], load.Dataset.Classes);
        var skipped = Assert.Single(load.Skipped);
        Assert.EndsWith("imageNotFound.gif", skipped.Where);
        Assert.Equal(123 + 121, load.Dataset.Count); // the README counts the GIF apart
        var files = (FileImageDataset)load.Dataset;
        Assert.Contains(files.Files, f => f.Path.EndsWith(".jpeg"));
    }

    [Fact]
    public void DecoderGivesTheConfiguredChannelsFromAnyPngKind()
    {
        var root = TestEnv.TempDir("png");
        var gray = Path.Combine(root, "gray.png");
        Cv2.ImWrite(gray, new Mat(4, 5, MatType.CV_8UC1, Scalar.All(77)));
        var rgba = Path.Combine(root, "rgba.png");
        Cv2.ImWrite(rgba, new Mat(4, 5, MatType.CV_8UC4, new Scalar(10, 20, 30, 0))); // BGRA, fully transparent
        var deep = Path.Combine(root, "deep.png");
        Cv2.ImWrite(deep, new Mat(4, 5, MatType.CV_16UC3, new Scalar(256 * 10, 256 * 20, 256 * 30)));
        var palette = Path.Combine(root, "palette.png");
        File.WriteAllBytes(palette, PalettePng(5, 4, [(30, 20, 10), (200, 100, 50)], index: 1));

        foreach (var path in new[] { gray, rgba, deep, palette })
        {
            Assert.Null(ImageDecoder.Check(path));
            using var c3 = ImageDecoder.Read(path, 3);
            using var c1 = ImageDecoder.Read(path, 1);
            Assert.Equal(MatType.CV_8UC3, c3.Type());
            Assert.Equal(MatType.CV_8UC1, c1.Type());
            Assert.Equal((5, 4), (c3.Width, c3.Height));
        }
        using (var m = ImageDecoder.Read(rgba, 3)) Assert.Equal(new Vec3b(30, 20, 10), m.At<Vec3b>(0, 0)); // RGB order, alpha dropped
        using (var m = ImageDecoder.Read(deep, 3)) Assert.Equal(new Vec3b(30, 20, 10), m.At<Vec3b>(0, 0)); // 16 bits scaled to 8
        using (var m = ImageDecoder.Read(palette, 3)) Assert.Equal(new Vec3b(200, 100, 50), m.At<Vec3b>(2, 3)); // palette expanded
        using (var m = ImageDecoder.Read(gray, 3)) Assert.Equal(new Vec3b(77, 77, 77), m.At<Vec3b>(1, 1));
    }

    /// <summary>A colour-type-3 (palette) PNG, which OpenCV cannot write, made by hand.</summary>
    private static byte[] PalettePng(int w, int h, (byte R, byte G, byte B)[] colours, byte index)
    {
        using var png = new MemoryStream();
        png.Write(PngChunks.Signature);
        PngChunks.Write(png, "IHDR", PngChunks.Header(w, h, colourType: 3));
        PngChunks.Write(png, "PLTE", colours.SelectMany(c => new[] { c.R, c.G, c.B }).ToArray());
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            for (int y = 0; y < h; y++) { z.WriteByte(0); for (int x = 0; x < w; x++) z.WriteByte(index); }
        PngChunks.Write(png, "IDAT", raw.ToArray());
        PngChunks.Write(png, "IEND", []);
        return png.ToArray();
    }
}
