using System.Text.Json;
using OpenCvSharp;
using Podium.Eda;

namespace Podium.Tests;

/// <summary>podium eda on the shared real data and on files made to be wrong.</summary>
public class EdaTests
{
    private static JsonElement ReadEda(string dir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "eda.json"))).RootElement;

    /// <summary>Runs podium eda on a shared dataset into a fresh folder; the report folder and eda.json.</summary>
    private static (string Out, JsonElement Eda) EdaOf(string dataset)
    {
        var root = TestEnv.TempDir("eda-" + Path.GetFileName(dataset)[..Math.Min(8, Path.GetFileName(dataset).Length)]);
        var r = TestEnv.Podium(root, "eda", Path.Combine(TestEnv.Datasets, dataset), "--out", "eda");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        return (Path.Combine(root, "eda"), ReadEda(Path.Combine(root, "eda")));
    }

    [Fact]
    public void FlowersReportCountsClassesFindsDuplicatesAndLabelConflicts()
    {
        var (dir, e) = EdaOf("flowers");
        Assert.Equal("classification", e.GetProperty("kind").GetString());
        Assert.Equal(4317, e.GetProperty("images").GetInt32());
        var counts = e.GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!,
            c => c.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int>
        {
            ["daisy"] = 764,
            ["dandelion"] = 1052,
            ["rose"] = 784,
            ["sunflower"] = 733,
            ["tulip"] = 984
        }, counts);
        Assert.Equal(1052.0 / 733, e.GetProperty("imbalance_ratio").GetDouble(), 9);
        // The Kaggle set holds byte-identical files, four of them filed under both rose and tulip.
        var dup = e.GetProperty("duplicates");
        Assert.True(dup.GetProperty("exact_pairs").GetInt32() >= 6);
        Assert.True(dup.GetProperty("conflicting_labels").GetInt32() >= 4);
        Assert.Contains(dup.GetProperty("pairs").EnumerateArray(), p => p.GetProperty("exact").GetBoolean()
            && p.GetProperty("a").GetProperty("path").GetString()!.EndsWith("rose/15922772266_1167a06620.jpg")
            && p.GetProperty("b").GetProperty("path").GetString()!.EndsWith("tulip/15922772266_1167a06620.jpg"));
        var mean = e.GetProperty("normalize").GetProperty("mean").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(3, mean.Length);
        Assert.All(mean, m => Assert.InRange(m, 0.2, 0.7));
        foreach (var png in new[] { "classes", "brightness", "contrast", "sharpness", "samples", "duplicates" })
            Assert.True(File.Exists(Path.Combine(dir, "plots", png + ".png")), png);
        var html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("pairs carry different labels", html);
        Assert.Contains("data:image/png;base64,", html);
    }

    [Fact]
    public void SroieReportReadsPolygonsAndFindsTheFiveDuplicateReceipts()
    {
        var (dir, e) = EdaOf("sroie");
        Assert.Equal("ocr", e.GetProperty("kind").GetString());
        Assert.Equal(626, e.GetProperty("images").GetInt32());
        var pairs = e.GetProperty("duplicates").GetProperty("pairs").EnumerateArray()
            .Where(p => p.GetProperty("exact").GetBoolean())
            .Select(p => Path.GetFileNameWithoutExtension(p.GetProperty("a").GetProperty("path").GetString()) + "-" +
                         Path.GetFileNameWithoutExtension(p.GetProperty("b").GetProperty("path").GetString()))
            .Order().ToArray();
        Assert.Equal(["012-015", "016-018", "074-624", "076-625", "277-452"], pairs);
        Assert.Equal(3, e.GetProperty("channels").GetProperty("1 (grayscale)").GetInt32());
        var text = e.GetProperty("text");
        Assert.InRange(text.GetProperty("regions").GetInt32(), 33000, 35000);
        Assert.InRange(text.GetProperty("height").GetProperty("median").GetDouble(), 10, 40);
        Assert.True(File.Exists(Path.Combine(dir, "plots", "text_height.png")));
    }

    [Fact]
    public void IdxDataIsScannedThroughItsDecoderAndItsBlankLettersFound()
    {
        var (_, e) = EdaOf(Path.Combine("notmnist", "t10k-images-idx3-ubyte.gz"));
        Assert.Equal(10000, e.GetProperty("images").GetInt32());
        Assert.All(e.GetProperty("classes").EnumerateArray(), c => Assert.Equal(1000, c.GetProperty("count").GetInt32()));
        // notMNIST holds blank images; identical pixels are exact duplicates, and 28 px is not "tiny" among 28 px images.
        var problems = e.GetProperty("suspicious").EnumerateArray().Select(p => p.GetProperty("problem").GetString()!).ToArray();
        Assert.True(problems.Count(p => p.StartsWith("blank", StringComparison.Ordinal)) > 100);
        Assert.DoesNotContain(problems, p => p.StartsWith("tiny", StringComparison.Ordinal));
        Assert.True(e.GetProperty("duplicates").GetProperty("exact_pairs").GetInt32() > 100);
    }

    [Fact]
    public void SuspiciousFilesAndTrainTestLeakageAreReported()
    {
        var root = TestEnv.TempDir("eda-bad");
        var photo = Directory.GetFiles(Path.Combine(TestEnv.Datasets, "flowers", "daisy"))[0];
        var other = Directory.GetFiles(Path.Combine(TestEnv.Datasets, "flowers", "rose"))[0];
        string Train(string cls, string name) => Path.Combine(root, "train", cls, name);
        Directory.CreateDirectory(Path.Combine(root, "train", "a"));
        Directory.CreateDirectory(Path.Combine(root, "train", "b"));
        Directory.CreateDirectory(Path.Combine(root, "test"));
        File.Copy(photo, Train("a", "photo.jpg"));
        File.Copy(other, Train("b", "other.jpg"));
        File.WriteAllBytes(Train("a", "empty.jpg"), []);
        File.WriteAllBytes(Train("a", "cut.jpg"), File.ReadAllBytes(photo)[..600]);
        File.Copy(other, Train("b", "really_jpeg.png"));
        TestEnv.WriteImage(Train("b", "tiny.png"), 20, 16, new Scalar(10, 200, 30));
        using (var stripe = new Mat(40, 400, MatType.CV_8UC3))
        {
            Cv2.Randu(stripe, Scalar.All(0), Scalar.All(255));
            Cv2.ImWrite(Train("b", "stripe.png"), stripe);
        }
        TestEnv.WriteImage(Train("a", "blank.png"), 64, 64, Scalar.All(128));
        // Test: an identical copy and a resized re-encoding of training images.
        File.Copy(photo, Path.Combine(root, "test", "same.jpg"));
        using (var img = Cv2.ImRead(other)) using (var big = new Mat())
        {
            Cv2.Resize(img, big, new Size(200, 200));
            Cv2.ImWrite(Path.Combine(root, "test", "resized.png"), big);
        }

        var r = TestEnv.Podium(root, "eda", "train", "--test", "test", "--out", "eda");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        var e = ReadEda(Path.Combine(root, "eda"));
        var problems = e.GetProperty("suspicious").EnumerateArray().GroupBy(p => Path.GetFileName(p.GetProperty("path").GetString())!)
            .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(p => p.GetProperty("problem").GetString())));
        Assert.Contains("empty file", problems["empty.jpg"]);
        Assert.Contains("truncated JPEG", problems["cut.jpg"]);
        Assert.Contains("JPEG data behind a '.png' extension", problems["really_jpeg.png"]);
        Assert.Contains("tiny: 20x16", problems["tiny.png"]);
        Assert.Contains("extreme aspect ratio 10.0:1", problems["stripe.png"]);
        Assert.Contains("blank", problems["blank.png"]);
        var leakage = e.GetProperty("leakage");
        Assert.Equal(1, leakage.GetProperty("exact_pairs").GetInt32());
        Assert.Equal(1, leakage.GetProperty("near_pairs").GetInt32());
        Assert.True(File.Exists(Path.Combine(root, "eda", "plots", "leakage.png")));
        Assert.Contains("leakage: 1 identical and 1 near train/test pairs", r.Stdout);
    }

    [Fact]
    public void ChannelStatisticsPoolPixelsExactly()
    {
        // Two images of different sizes: the pooled mean and std are over all pixels, not per image.
        var root = TestEnv.TempDir("eda-stats");
        using var a = new Mat(10, 20, MatType.CV_8UC3);
        using var b = new Mat(30, 5, MatType.CV_8UC3);
        Cv2.Randu(a, Scalar.All(0), Scalar.All(255));
        Cv2.Randu(b, Scalar.All(50), Scalar.All(100));
        Cv2.ImWrite(Path.Combine(root, "a.png"), a);
        Cv2.ImWrite(Path.Combine(root, "b.png"), b);
        var facts = new[] { ImageScan.Measure(Path.Combine(root, "a.png"), 0, 0, "train"), ImageScan.Measure(Path.Combine(root, "b.png"), 1,
            0, "train") };
        var (mean, std) = ImageScan.ChannelStats(facts);
        for (int k = 0; k < 3; k++) // RGB order; OpenCV planes are BGR
        {
            var values = new List<double>();
            foreach (var m in new[] { a, b })
            {
                Cv2.Split(m, out var planes);
                planes[2 - k].GetArray(out byte[] bytes);
                values.AddRange(bytes.Select(v => v / 255.0));
                foreach (var p in planes) p.Dispose();
            }
            double mu = values.Average();
            Assert.Equal(mu, mean[k], 9);
            Assert.Equal(Math.Sqrt(values.Average(v => (v - mu) * (v - mu))), std[k], 9);
        }
    }

    [Fact]
    public void TextRegionMeasureFollowsTheReadingDirection()
    {
        var (w, h, angle) = EdaAnalyzer.Measure([new(10, 10), new(50, 10), new(50, 20), new(10, 20)]);
        Assert.Equal((40.0, 10.0, 0.0), (w, h, angle));
        // The same box turned 90 degrees clockwise: text reads downwards.
        (w, h, angle) = EdaAnalyzer.Measure([new(20, 10), new(20, 50), new(10, 50), new(10, 10)]);
        Assert.Equal((40.0, 10.0, 90.0), (w, h, angle));
    }

    [Fact]
    public void BadArgumentsGiveOneLine()
    {
        var root = TestEnv.TempDir("eda-args");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "eda", "nowhere"), "nowhere: no such file or folder");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "eda", ".", "--hash-distance", "70"), "--hash-distance 70: between 0 and 64 bits");
    }
}
