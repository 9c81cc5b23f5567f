using System.Text.Json;
using OpenCvSharp;
using Podium.Data;
using Podium.Ocr;

namespace Podium.Tests;

/// <summary>The text-recognition task (issue 20): line data from text-detection folders and lines CSVs with what they leave out,
/// batches of similar widths, the recognisers' shapes, and podium ocr train with a rec section from the CLI.</summary>
public class TextRecognitionTests
{
    /// <summary>An ICDAR folder of two SROIE receipts whose second box file also holds a don't-care region, an empty transcription
    /// and a region one pixel high.</summary>
    private static string Receipts(string name)
    {
        var root = TestEnv.TempDir(name);
        var sroie = Path.Combine(TestEnv.Datasets, "sroie");
        foreach (var sub in new[] { "img", "box" }) Directory.CreateDirectory(Path.Combine(root, sub));
        foreach (var id in new[] { "000", "001" })
        {
            File.Copy(Path.Combine(sroie, "img", id + ".jpg"), Path.Combine(root, "img", id + ".jpg"));
            File.Copy(Path.Combine(sroie, "box", id + ".txt"), Path.Combine(root, "box", id + ".txt"));
        }
        File.AppendAllLines(Path.Combine(root, "box", "001.txt"),
            ["10,10,60,10,60,30,10,30,###", "10,40,60,40,60,60,10,60,", "10,70,60,70,60,70.4,10,70.4,THIN"]);
        return root;
    }

    private static int BoxLines(string root, string id) =>
        File.ReadLines(Path.Combine(root, "box", id + ".txt")).Count(l => l.Trim().Length > 0);

    [Fact]
    public void LinesFromADetectionFolderAreItsRegionsWarpedUprightWithTheBadOnesCounted()
    {
        var root = Receipts("rec-lines");
        var (lines, skipped) = LineDataset.Open(root, IcdarText.QuadPoints, "skip", 1L << 30);
        Assert.Equal(BoxLines(root, "000") + BoxLines(root, "001") - 3, lines.Count);
        Assert.Equal(3, skipped.Count);
        Assert.Contains(skipped, s => s.Where.EndsWith("001.jpg#" + (BoxLines(root, "001") - 2), StringComparison.Ordinal)
            && s.Problem == "a don't-care region (###)");
        Assert.Contains(skipped, s => s.Problem == "an empty transcription");
        Assert.Contains(skipped, s => s.Problem.StartsWith("a degenerate line (50x", StringComparison.Ordinal));
        // Each line is its region cut out: as wide and high as its box (these are axis-aligned), wider than high, text on paper.
        var first = File.ReadLines(Path.Combine(root, "box", "000.txt")).First().Split(',', 9);
        Assert.Equal(first[8], lines.Text(0));
        Assert.Equal((int.Parse(first[2]) - int.Parse(first[0]), int.Parse(first[5]) - int.Parse(first[1])), lines.Size(0));
        using (var crop = lines.Read(0, 3)) Assert.Equal(lines.Size(0), (crop.Width, crop.Height));
        // Pages are the groups: a split keeps a receipt's lines together.
        Assert.Equal(2, lines.Groups()!.Distinct().Count());
        var (train, val) = Splits.StratifiedGroupHoldout(new int[lines.Count], lines.Groups(), 0.5, seed: 1);
        Assert.Empty(train.Select(i => lines.Groups()![i]).Intersect(val.Select(i => lines.Groups()![i])));
        // Without a budget every crop is cut again when read, the same pixels.
        var (uncached, _) = LineDataset.Open(root, IcdarText.QuadPoints, "skip", 0);
        Assert.Equal(0, uncached.CachedBytes);
        using var a = lines.Read(5, 3);
        using var b = uncached.Read(5, 3);
        Assert.Equal(0, Cv2.Norm(a, b, NormTypes.L1));
        // data.on_bad_input: stop refuses the folder, naming the first bad region.
        var e = Assert.Throws<PodiumException>(() => LineDataset.Open(root, IcdarText.QuadPoints, "stop", 0));
        Assert.Contains("001.jpg#", e.Message);
        Assert.Contains("(and 2 more bad inputs); set data.on_bad_input: skip", e.Message);
    }

    [Fact]
    public void LinesKeepTheirPageAroundThemForTrainingAndReadTightOtherwise()
    {
        var root = Receipts("rec-context");
        var (tight, _) = LineDataset.Open(root, IcdarText.QuadPoints, "skip", 1L << 30);
        var (lines, _) = LineDataset.Open(root, IcdarText.QuadPoints, "skip", 1L << 30, context: 0.25);
        var wide = lines.WithContext();
        using var page = Cv2.ImRead(Path.Combine(root, "img", "000.jpg")).CvtColor(ColorConversionCodes.BGR2RGB);
        var box = File.ReadLines(Path.Combine(root, "box", "000.txt")).First().Split(',', 9).Take(8).Select(int.Parse).ToArray();
        var (w, h) = tight.Size(0);
        int m = (int)Math.Round(0.25 * h);
        Assert.Equal((w, h), lines.Size(0));
        Assert.Equal(0, lines.Margin(0));
        Assert.Equal(m, wide.Margin(0));
        using var plain = tight.Read(0, 3);
        using var read = lines.Read(0, 3);
        using var withContext = wide.Read(0, 3);
        // Read tight, the lines are the context-free ones; with context, the page around the (axis-aligned) box, pixel for pixel.
        Assert.Equal(0, Cv2.Norm(plain, read, NormTypes.INF));
        Assert.Equal((w + 2 * m, h + 2 * m), (withContext.Width, withContext.Height));
        using (var around = new Mat(page, new Rect(box[0] - m, box[1] - m, w + 2 * m, h + 2 * m)))
            Assert.True(Cv2.Norm(around, withContext, NormTypes.INF) <= 1);
        // A training read keeps 0 to m pixels of it on each side, drawn anew each time.
        var rng = new Random(3);
        var sizes = new List<(int W, int H)>();
        for (int k = 0; k < 2000; k++)
        {
            using var loose = Podium.Tasks.Recognition.LineCollator.Loosen(withContext.Clone(), m, rng);
            sizes.Add((loose.Width, loose.Height));
        }
        Assert.Equal((w, w + 2 * m), (sizes.Min(s => s.W), sizes.Max(s => s.W)));
        Assert.Equal((h, h + 2 * m), (sizes.Min(s => s.H), sizes.Max(s => s.H)));
    }

    [Fact]
    public void ALinesCsvNeedsCropAndTextColumns()
    {
        var root = TestEnv.TempDir("rec-csv");
        TestEnv.WriteImage(Path.Combine(root, "a.png"), 60, 20, Scalar.All(255));
        File.WriteAllText(Path.Combine(root, "lines.csv"), "crop,text\na.png,HELLO\na.png,\nmissing.png,X\n");
        var (lines, skipped) = LineDataset.Open(Path.Combine(root, "lines.csv"), IcdarText.QuadPoints, "skip", 1 << 20);
        Assert.Equal(["HELLO"], lines.Lines.Select(l => l.Text));
        Assert.Equal(2, skipped.Count);
        Assert.Contains(skipped, s => s.Where.EndsWith("lines.csv line 3", StringComparison.Ordinal)
            && s.Problem == "an empty transcription");
        Assert.Contains(skipped, s => s.Where.EndsWith("missing.png", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(root, "bad.csv"), "path,label\na.png,x\n");
        var e = Assert.Throws<PodiumException>(() => LineDataset.Open(Path.Combine(root, "bad.csv"), 4, "skip", 0));
        Assert.EndsWith("bad.csv: a lines CSV needs crop and text columns (as podium ocr lines and ocr crop write), found path,label",
            e.Message);
    }

    [Fact]
    public void MmocrsTextRecognitionFileGivesOneLinePerImage()
    {
        var root = TestEnv.TempDir("rec-mmocr");
        Directory.CreateDirectory(Path.Combine(root, "crops"));
        TestEnv.WriteImage(Path.Combine(root, "crops", "a.png"), 60, 20, Scalar.All(255));
        TestEnv.WriteImage(Path.Combine(root, "crops", "b.png"), 40, 16, Scalar.All(200));
        // As MMOCR's converters write it: metainfo, then one entry per crop with its text as the first instance.
        File.WriteAllText(Path.Combine(root, "textrecog_train.json"), """
            {"metainfo": {"dataset_type": "TextRecogDataset", "task_name": "textrecog"},
             "data_list": [{"img_path": "crops/a.png", "instances": [{"text": "HELLO"}]},
                           {"img_path": "crops/b.png", "instances": [{"text": "12.50"}]},
                           {"img_path": "crops/a.png", "instances": [{"text": ""}]},
                           {"instances": [{"text": "X"}]},
                           {"img_path": "crops/missing.png", "instances": [{"text": "Y"}]}]}
            """);
        var (lines, skipped) = LineDataset.Open(Path.Combine(root, "textrecog_train.json"), IcdarText.QuadPoints, "skip", 1 << 20);
        Assert.Equal(["HELLO", "12.50"], lines.Lines.Select(l => l.Text));
        Assert.Equal((40, 16), lines.Size(1));
        Assert.Equal(3, skipped.Count);
        Assert.Contains(skipped, s => s.Where.EndsWith("data_list[2]", StringComparison.Ordinal) && s.Problem == "an empty transcription");
        Assert.Contains(skipped, s => s.Where.EndsWith("data_list[3]", StringComparison.Ordinal) && s.Problem == "no img_path");
        Assert.Contains(skipped, s => s.Where.EndsWith("missing.png", StringComparison.Ordinal));
    }

    [Fact]
    public void WidthBucketsVisitEveryLineOnceInBatchesOfSimilarWidth()
    {
        var rng = new Random(3);
        var widths = Enumerable.Range(0, 1000).Select(_ => rng.NextDouble() * 30).ToArray();
        var sampler = new WidthBucketSampler(widths, batchSize: 8, seed: 5, pool: 10);
        var order = sampler.Order(0);
        Assert.Equal(Enumerable.Range(0, 1000), order.Order());
        Assert.NotEqual(order, sampler.Order(1));
        Assert.Equal(order, sampler.Order(0));
        // The spread of widths inside a batch is a fraction of a random batch's (about 30 * 7/9 for 8 uniform draws).
        double Spread(IEnumerable<int> batch) => batch.Max(i => widths[i]) - batch.Min(i => widths[i]);
        var bucketed = order.Chunk(8).Average(Spread);
        var shuffled = new PermutationSampler(1000, true, 5).Order(0).Chunk(8).Average(Spread);
        Assert.True(bucketed < shuffled / 5, $"bucketed {bucketed:F2} vs random {shuffled:F2}");
    }

    [Fact]
    public void RecognisersGiveOneStepPerStrideOfWidth()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        foreach (var name in new[] { "crnn", "svtr_tiny" })
        {
            var options = (Podium.Models.RecogniserOptions)Podium.Models.Recognisers.Registry.Defaults(name, "model");
            var net = options.Build(classes: 11, inChannels: 3, height: 32);
            var y = net.forward(TorchSharp.torch.randn(2, 3, 32, 96));
            Assert.Equal([2L, 96 / options.Stride, 11], y.shape);
        }
    }

    [Fact]
    public void OcrTrainWithARecSectionTrainsARecogniserAndReportsItsWorstLines()
    {
        var root = TestEnv.TempDir("rec-train");
        Podium.Quickstart.SyntheticLines.Generate(Path.Combine(root, "lines"), 48, seed: 2);
        File.WriteAllText(Path.Combine(root, "cfg.yaml"), """
            seed: 0
            data: {train: lines/lines.csv, val_split: 0.25}
            model: {name: crnn, width: 64, hidden: 32}
            rec: {height: 16, max_width: 160, decoder: greedy, beam_width: 4}
            train:
              epochs: 2
              batch_size: 8
            augment:
              train:
                - gauss_noise: {p: 0.5}
            """);
        var train = TestEnv.Podium(root, "ocr", "train", "cfg.yaml", "--out", "run");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        Assert.Contains("model crnn: ", train.Stdout);
        Assert.Contains("lines 16 px high, at most 160 px wide", train.Stdout);
        Assert.Matches(@"validation \(12 lines, greedy\): CER [\d.]+ %", train.Stdout);
        Assert.Contains("validation (12 lines, beam 4): CER", train.Stdout);
        Assert.Matches(@"per line: network [\d.]+ ms, greedy decoding [\d.]+ ms, beam search [\d.]+ ms", train.Stdout);
        var run = Path.Combine(root, "run");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        var best = summary.RootElement.GetProperty("best");
        Assert.InRange(best.GetProperty("val_cer").GetDouble(), 0, 1.5);
        // The character set came from the training lines and is saved with the run's config, so the run reads with its labels.
        var saved = Podium.Config.ConfigLoader.Load(Path.Combine(run, "config.yaml"));
        Assert.Equal("text_recognition", saved.Task);
        Assert.Equal("data", saved.Rec!.Charset);
        var texts = Podium.IO.Csv.Read(Path.Combine(root, "lines", "lines.csv")).Skip(1).Select(r => r[1]);
        Assert.Subset(texts.SelectMany(t => t).Select(c => c.ToString()).ToHashSet(), saved.Rec.Characters!.Select(c => c.ToString())
            .ToHashSet());
        var rows = Podium.IO.Csv.Read(Path.Combine(run, "val_lines.csv"));
        Assert.Equal(["line", "truth", "read", "edits", "confidence", "beam_read"], rows[0]);
        Assert.Equal(12, rows.Count - 1);
        Assert.True(File.Exists(Path.Combine(run, "plots", "val_lines.png")));
        var report = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.Contains("validation character error rate", report);
        Assert.Contains("The 20 validation lines with the most character errors", report);

        // Bad rec values: one line each, naming the key.
        string Refusal(params string[] sets) => Assert.Throws<Podium.ConfigException>(() => Podium.Runs.ConfigResolver.Resolve(
            Podium.Config.ConfigLoader.Load(Path.Combine(root, "cfg.yaml"), sets))).Message;
        Assert.EndsWith("rec.height: a multiple of 16 in [16, 256] (or 0: the network's), got 20", Refusal("rec.height=20"));
        Assert.EndsWith("rec.context: page kept around a line, in line heights, in [0, 1]; got 1.5", Refusal("rec.context=1.5"));
        Assert.Contains("model.name: unknown recogniser 'svtr'", Refusal("model.name=svtr"));
        Assert.EndsWith("rec.charset: keys.txt: no such keys file (or data, model)", Refusal("rec.charset=keys.txt"));
        Assert.Contains("rec.charset: model takes the characters of a named recogniser", Refusal("rec.charset=model"));

        // A keys file without one of the lines' characters: the training lines holding it are left out and counted, validation
        // lines keep it (read as errors), and every occurrence is reported on one side or the other. (The validation lines also
        // hold characters that no training line has, which the saved set lacks.)
        var all = Podium.IO.Csv.Read(Path.Combine(root, "lines", "lines.csv")).Skip(1).Select(r => r[1]).ToList();
        char rare = all.SelectMany(t => t.Distinct()).GroupBy(c => c).Where(g => g.Count() >= 3 && !char.IsWhiteSpace(g.Key))
            .OrderBy(g => g.Count()).ThenBy(g => g.Key).First().Key;
        File.WriteAllLines(Path.Combine(root, "keys.txt"), saved.Rec.Characters!.Where(c => c != rare).Select(c => c.ToString()));
        var narrow = TestEnv.Podium(root, "ocr", "train", "cfg.yaml", "--out", "narrow", "--set", "rec.charset=keys.txt", "--set",
            "train.epochs=1");
        Assert.True(narrow.ExitCode == 0, narrow.Stderr + narrow.Stdout);
        int Reported(string side) // the rare character's count in that side's "N characters ('a' xN, ...) outside" line
        {
            var line = narrow.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith(side + " lines: ", StringComparison.Ordinal)
                && l.Contains("outside the character set", StringComparison.Ordinal));
            var m = System.Text.RegularExpressions.Regex.Match(line ?? "", "'" + System.Text.RegularExpressions.Regex.Escape(
                rare.ToString()) + @"' x(\d+)");
            return m.Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        }
        Assert.Equal(all.Sum(t => t.Count(c => c == rare)), Reported("training") + Reported("validation"));
        var leftOut = System.Text.RegularExpressions.Regex.Match(narrow.Stdout, @"left out (\d+): \1 a training line with a character " +
            "outside the set");
        Assert.True(leftOut.Success, narrow.Stdout);
        Assert.InRange(int.Parse(leftOut.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, Reported("training"));
    }
}
