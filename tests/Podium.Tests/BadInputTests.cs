using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using OpenCvSharp;
using Podium.Augment;
using Podium.Data;
using Podium.Models;
using Podium.Ocr;
using Podium.Tracking;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>
/// The hostile inputs of issue 16 that the other suites do not cover: decompression bombs, malformed weights, weights of another
/// architecture, bad OCR lines and polygons, classes without a readable image or a validation image, out of memory and a resume
/// set left unpublished. Each asserts what is done and the one line that says so.
/// </summary>
public class BadInputTests
{
    /// <summary>A real 8-bit gray PNG of <paramref name="side"/> x <paramref name="side"/> black pixels, compressed row by row
    /// (20000 x 20000 is 400 MB of pixels in about 400 KB).</summary>
    private static void WriteBlackPng(string path, int side)
    {
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[side + 1]; // filter byte 0, then the row
            for (int y = 0; y < side; y++) z.Write(row);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var f = File.Create(path);
        f.Write(PngChunks.Signature);
        PngChunks.Write(f, "IHDR", PngChunks.Header(side, side, colourType: 0));
        PngChunks.Write(f, "IDAT", idat.ToArray());
        PngChunks.Write(f, "IEND", []);
    }

    [Theory]
    [InlineData(".png", 0)]
    [InlineData(".jpg", 0)]
    [InlineData(".bmp", 0)]
    [InlineData(".webp", 80)]
    [InlineData(".webp", 101)] // lossless
    [InlineData(".tif", 0)]
    [InlineData(".ppm", 0)]
    [InlineData(".pgm", 0)]
    public void HeadersGiveTheSizeTheDecoderFinds(string extension, int webpQuality)
    {
        using var image = new Mat(23, 37, extension == ".pgm" ? MatType.CV_8UC1 : MatType.CV_8UC3, Scalar.All(90));
        int[] flags = webpQuality > 0 ? [(int)ImwriteFlags.WebPQuality, webpQuality] : [];
        Cv2.ImEncode(extension, image, out var bytes, flags);
        // A JPEG with a large EXIF-like segment first: its frame header lies past the first few kilobytes.
        if (extension == ".jpg") bytes = [.. bytes[..2], 0xFF, 0xE1, 0xFF, 0xF0, .. new byte[0xFFF0 - 2], .. bytes[2..]];
        Assert.Equal((37L, 23L), ImageHeader.Size(bytes, ImageDecoder.Sniff(bytes)!));
        var path = Path.Combine(TestEnv.TempDir("header"), "x" + extension);
        File.WriteAllBytes(path, bytes);
        Assert.Null(ImageDecoder.Check(path));
        using var decoded = ImageDecoder.Read(path, 3);
        Assert.Equal((37, 23), (decoded.Cols, decoded.Rows));
    }

    [Fact]
    public void APixelBombIsRefusedFromItsHeaderByEveryCommandAndTheLimitIsASetting()
    {
        var root = TestEnv.TempDir("bomb");
        var bomb = Path.Combine(root, "data", "rose", "bomb.png");
        WriteBlackPng(bomb, 20000);
        Assert.True(new FileInfo(bomb).Length < 1 << 20);
        const string Refusal = "20000x20000 pixels (400 MP) is over the 100 MP limit: downscale the image, or raise PODIUM_MAX_PIXELS";
        Assert.Equal(Refusal, ImageDecoder.Check(bomb));
        Assert.Equal($"{bomb}: {Refusal}", Assert.Throws<PodiumException>(() => ImageDecoder.Read(bomb, 3)).Message);
        for (int i = 0; i < 3; i++)
            foreach (var c in new[] { "rose", "tulip" })
                TestEnv.WriteImage(Path.Combine(root, "data", c, $"{i}.png"), 32, 32, Scalar.All(40 * i));

        var load = DatasetReader.Open(Path.Combine(root, "data"));
        Assert.Equal(6, load.Dataset.Count);
        Assert.Equal(Refusal, Assert.Single(load.Skipped, s => s.Where == bomb).Problem);
        var eda = TestEnv.Podium(root, "eda", "data", "--out", "eda");
        Assert.True(eda.ExitCode == 0, eda.Stderr);
        Assert.Contains("6 images (1 left out)", eda.Stdout);
        Assert.Matches($@"^skipped 1 inputs of data: 1 {System.Text.RegularExpressions.Regex.Escape(Refusal)} \(.*bomb\.png\)$",
            Assert.Single(SkipLines(eda.Stdout)));
        Assert.Contains("over the 100 MP limit", File.ReadAllText(Path.Combine(root, "eda", "report.html")));

        // A lower limit refuses the small images too; a bad value is one line naming the variable.
        var strict = TestEnv.Podium(root, new Dictionary<string, string> { ["PODIUM_MAX_PIXELS"] = "1000" }, "eda", "data", "--out", "e2");
        EndToEndTests.AssertOneLine(strict, "no readable images");
        var bad = TestEnv.Podium(root, new Dictionary<string, string> { ["PODIUM_MAX_PIXELS"] = "lots" }, "eda", "data", "--out", "e3");
        EndToEndTests.AssertOneLine(bad, "PODIUM_MAX_PIXELS: 'lots' is not a positive whole number of pixels");
    }

    /// <summary>The five malformed files of the issue, each refused with the file named and what is wrong.</summary>
    [Fact]
    public void MalformedSafetensorsFilesAreRefusedNamingTheFile()
    {
        var root = TestEnv.TempDir("safetensors");
        static byte[] File(ulong headerLength, string header, int dataBytes, int total = -1)
        {
            var h = Encoding.UTF8.GetBytes(header);
            var bytes = new byte[total >= 0 ? total : 8 + h.Length + dataBytes];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength);
            h.AsSpan(0, Math.Min(h.Length, Math.Max(0, bytes.Length - 8))).CopyTo(bytes.AsSpan(8));
            return bytes;
        }
        const string One = """{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""";
        const string Huge = """{"w":{"dtype":"F32","shape":[200000,200000],"data_offsets":[0,16]}}""";
        var cases = new (string Name, byte[] Bytes, string Problem)[]
        {
            ("huge.safetensors", File(1UL << 62, One, 16), "header length 4611686018427387904 is more than the"),
            ("int.safetensors", File(int.MaxValue, One, 16), "header length 2147483647 is more than the"),
            ("tiny.safetensors", File(1 << 30, "", 0, total: 10), "header length 1073741824 is more than the 2 bytes after it"),
            ("shape.safetensors", File((ulong)Huge.Length, Huge, 16), "shape [200000,200000] of F32 needs 160000000000 bytes"),
            ("short.safetensors", File((ulong)One.Length, One, 8), "data_offsets [0,16] run past the 8 bytes of data"),
        };
        foreach (var (name, bytes, problem) in cases)
        {
            var path = Path.Combine(root, name);
            System.IO.File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<PodiumException>(() => Pretrained.ReadStateDict(path));
            Assert.StartsWith($"{path}: not a valid safetensors file (", e.Message);
            Assert.Contains(problem, e.Message);
        }
        // A well-formed file still loads.
        var good = Path.Combine(root, "good.safetensors");
        using (NewDisposeScope()) Safetensors.SaveStateDict(good, new Dictionary<string, Tensor> { ["w"] = ones(2, 2) });
        Assert.Equal([2L, 2L], Pretrained.ReadStateDict(good)["w"].shape);
    }

    [Fact]
    public void WeightsOfAnotherArchitectureStopTrainingUnlessAPartialLoadIsAllowed()
    {
        var root = TestEnv.ShapesProject("partial", trainPerClass: 4, seed: 3, configYaml: """
            seed: 0
            data: {train: data/train, val_split: 0.25, img_size: 32}
            model: {name: resnet18, pretrained: other.safetensors}
            train: {epochs: 1, batch_size: 64, drop_last: true}
            """);
        using (NewDisposeScope()) ModelRegistry.Create("convnext_atto", 3).save_safetensors(Path.Combine(root, "other.safetensors"));
        TestEnv.WriteImage(Path.Combine(root, "data", "train", "solo", "one.png"), 32, 32, Scalar.All(10)); // a class of one image
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run"),
            "does not fit resnet18: 100 tensors outside the head did not load (conv1.weight, bn1.weight, bn1.bias, ...; 0 did); " +
            "weights of another architecture? set model.pretrained_strict: false");
        var partial = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run", "--set", "model.pretrained_strict=false");
        Assert.True(partial.ExitCode == 0, partial.Stderr + partial.Stdout);
        Assert.Contains("loaded 0 tensors; 122 missing", partial.Stdout);
        Assert.Contains("no validation image for 1 of the 6 classes: solo (1 training); validation scores average over the classes " +
            "it holds or predicts", partial.Stdout);
        // 16 training images and a batch of 64 with drop_last: the one short batch is kept, and the log says so.
        Assert.True(partial.Stdout.Contains(
            "train.batch_size 64 is more than the 16 training images: an epoch is one batch of 16 (train.drop_last keeps it",
            StringComparison.Ordinal), partial.Stdout);
        Assert.Contains("training 1 epochs x 1 steps", partial.Stdout);

        // Odd file names (a comma, a quote, a leading dash, spaces and non-Latin letters) are predicted and written back intact.
        string[] odd = ["a, b.png", "q\"uote.png", "-dash.png", "ü 日本.png"];
        foreach (var name in odd) TestEnv.WriteImage(Path.Combine(root, "odd", name), 32, 32, Scalar.All(90));
        File.WriteAllBytes(Path.Combine(root, "odd", "cut.png"), [.. PngChunks.Signature, 0, 0, 0, 13]);
        var predict = TestEnv.Podium(root, "predict", "--run", "run", "--input", "odd", "--out", "sub.csv", "--id-style", "filename");
        Assert.True(predict.ExitCode == 0, predict.Stderr + predict.Stdout);
        Assert.Matches(@"^skipped 1 inputs of odd: 1 truncated PNG \(no IEND chunk\) \(.*cut\.png\)$",
            Assert.Single(SkipLines(predict.Stdout)));
        Assert.Equal(odd.Order(StringComparer.Ordinal), IO.Csv.Read(Path.Combine(root, "sub.csv")).Skip(1).Select(r => r[0])
            .Order(StringComparer.Ordinal));

        FullDisk(root);

        // Killed between publishing the epoch's resume set and its pointer: the set is found (here, a finished run's).
        File.Delete(ResumeCheckpoint.Pointer(new RunDirectory(Path.Combine(root, "run"))));
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "--resume", "run"), "finished (1 of 1 epochs); nothing to resume");
    }

    /// <summary>
    /// A full disk, made as a 256 KB tmpfs in a private mount namespace (unshare, as an unprivileged user may): predict's
    /// submission and a training's files fail with one line, and the submission already there is kept whole.
    /// </summary>
    private static void FullDisk(string root)
    {
        var probe = System.Diagnostics.Process.Start(
            new System.Diagnostics.ProcessStartInfo("unshare", "--user --map-root-user --mount true") { RedirectStandardError = true })!;
        probe.WaitForExit();
        // Without user namespaces (a locked-down kernel) there is no full disk to make; the rest of the test still runs.
        if (probe.ExitCode != 0) return;
        var fs = Path.Combine(root, "fs");
        Directory.CreateDirectory(fs);
        var podium = $"dotnet {TestEnv.ShellQuote(TestEnv.CliDll)}";
        var script = $"""
            mount -t tmpfs -o size=256k tmpfs {TestEnv.ShellQuote(fs)} || exit 9
            printf 'id,label\nkept,1\n' > {TestEnv.ShellQuote(fs)}/sub.csv
            head -c 1M /dev/zero > {TestEnv.ShellQuote(fs)}/filler 2>/dev/null
            {podium} predict --run run --input odd --out {TestEnv.ShellQuote(fs)}/sub.csv --id-style filename
            echo "predict exit $?"
            cat {TestEnv.ShellQuote(fs)}/sub.csv
            rm {TestEnv.ShellQuote(fs)}/filler
            head -c 200K /dev/zero > {TestEnv.ShellQuote(fs)}/filler 2>/dev/null
            {podium} train cfg.yaml --out {TestEnv.ShellQuote(fs)}/run --set model.pretrained_strict=false
            echo "train exit $?"
            """;
        var psi = new System.Diagnostics.ProcessStartInfo("unshare", ["--user", "--map-root-user", "--mount", "bash", "-c", script])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["TERM"] = "dumb";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "the full-disk commands did not end");
        var (output, errors) = (stdout.Result, stderr.Result);
        Assert.Contains("predict exit 1", output);
        Assert.Contains("id,label\nkept,1\n", output); // the old submission, whole
        Assert.Contains("train exit 1", output);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Matches("^error: .*No space left on device", l));
        Assert.DoesNotContain("   at ", output + errors);
    }

    [Fact]
    public void AResumeSetRenamedIntoPlaceIsFoundWithoutItsPointerAndAHalfWrittenOneIsNot()
    {
        var run = new RunDirectory(TestEnv.TempDir("unpublished"));
        Directory.CreateDirectory(Path.Combine(run.Checkpoints, "resume-1.4242.tmp"));
        File.WriteAllText(Path.Combine(run.Checkpoints, "resume-1.4242.tmp", "state.json"), "{}");
        Assert.Null(ResumeCheckpoint.TryLocate(run));
        Assert.Contains("nothing to resume", Assert.Throws<PodiumException>(() => ResumeCheckpoint.Locate(run)).Message);
        Directory.Move(Path.Combine(run.Checkpoints, "resume-1.4242.tmp"), Path.Combine(run.Checkpoints, "resume-1"));
        Assert.Equal(Path.Combine(run.Checkpoints, "resume-1"), ResumeCheckpoint.Locate(run));
    }

    [Fact]
    public void TextPolygonsAreFiniteAndDoNotCross()
    {
        static Polygon P(params double[] xy) => new([.. Enumerable.Range(0, xy.Length / 2).Select(k => new Point2d(xy[2 * k],
            xy[2 * k + 1]))], "t");
        var square = P(0, 0, 10, 0, 10, 5, 0, 5);
        Assert.Equal((square, null), TextPolygonRules.Apply(square));
        // A bowtie (the last two points swapped) is put back in clockwise order from its first point.
        var (fixedQuad, note) = TextPolygonRules.Apply(P(0, 0, 10, 0, 0, 5, 10, 5));
        Assert.Equal("a quad whose edges cross (points out of order): put in clockwise order", note);
        Assert.Equal(square.Points, fixedQuad!.Points);
        Assert.Equal(50, Geometry.Area(fixedQuad.Points), 6);
        // A crossing polygon of more points has no one order meant: left out.
        var star = TextPolygonRules.Apply(P(0, 0, 10, 10, 10, 0, 0, 10, 5, -3));
        Assert.Null(star.Region);
        Assert.Equal("a polygon whose edges cross (5 points): left out", star.Note);
        Assert.Equal("point 2 is not a finite number pair (Infinity,0): left out",
            TextPolygonRules.Apply(P(0, 0, double.PositiveInfinity, 0, 10, 5)).Note);
        Assert.Contains("(NaN,", TextPolygonRules.Apply(P(0, 0, 1, 0, double.NaN, 5)).Note);
        // Every point on one line is not ruled on here (the targets leave such a region out, as before).
        var flat = P(0, 0, 5, 0, 10, 0);
        Assert.Equal((flat, null), TextPolygonRules.Apply(flat));
    }

    [Fact]
    public void OneBadOcrLineIsLeftOutAndItsImageKeptWhereverTheLinesAreRead()
    {
        var root = TestEnv.TempDir("ocr-lines");
        TestEnv.WriteImage(Path.Combine(root, "img", "a.png"), 64, 48, Scalar.All(200));
        TestEnv.WriteImage(Path.Combine(root, "img", "b.png"), 64, 48, Scalar.All(200));
        Directory.CreateDirectory(Path.Combine(root, "box"));
        File.WriteAllText(Path.Combine(root, "box", "a.txt"),
            "1,2,30,2,30,20,1,20,good\n1,2,30,20,30,2,1,20,bowtie\nnan,2,30,2,30,20,1,20,x\n1,2,Infinity,2,30,20,1,20,y\n1,2,3\n");
        File.WriteAllText(Path.Combine(root, "box", "b.txt"), "1,2,3,4,x,6,7,8,only bad\n");
        var load = DatasetReader.Open(root);
        var data = Assert.IsType<TextDetectionDataset>(load.Dataset);
        var a = Assert.Single(data.Images);
        Assert.Equal(["good", "bowtie"], a.Regions.Select(r => r.Tag));
        var lines = load.Skipped.Select(s => $"{Path.GetFileName(s.Where)}: {s.Problem}").ToList();
        Assert.Equal([
            "a.txt line 2: a quad whose edges cross (points out of order): put in clockwise order",
            "a.txt line 3: point 1 is not a finite number pair (NaN,2): left out",
            "a.txt line 4: point 2 is not a finite number pair (Infinity,2): left out",
            "a.txt line 5: expected x1,y1,...,x4,y4,transcription, got 3 fields: line left out",
            "b.txt line 1: point 3 is not a number pair ('x,6'): line left out",
            $"b.png: no usable text region in {Path.Combine(root, "box", "b.txt")} (its lines are listed)"], lines);

        var targets = TestEnv.Podium(root, "ocr", "targets", ".", "--out", "targets");
        Assert.True(targets.ExitCode == 0, targets.Stderr + targets.Stdout);
        Assert.Single(SkipLines(targets.Stdout));
        Assert.StartsWith("skipped 6 inputs: 1 a quad whose edges cross", SkipLines(targets.Stdout)[0]);

        // Scoring truth files: the image with a bad line is still scored, on its other lines.
        var pred = Path.Combine(root, "pred");
        Directory.CreateDirectory(pred);
        File.WriteAllText(Path.Combine(pred, "a.txt"), "1,2,30,2,30,20,1,20\n1e999,0,1,1,2,2\n");
        var (score, skipped, missing) = DetectionEvaluation.EvaluateFolders(Path.Combine(root, "box"), pred);
        Assert.Equal(["a", "b"], score.Images.Select(i => i.Name));
        Assert.Equal(1, missing);
        Assert.Equal(2, score.Images.Single(i => i.Name == "a").GtCare);
        Assert.Equal(1, score.Images.Single(i => i.Name == "a").DetCare);
        Assert.Contains(skipped, s => s.Where.EndsWith("pred/a.txt line 2", StringComparison.Ordinal)
            && s.Problem == "a coordinate is not a finite number: line left out");

        // MMOCR and UFO manifests follow the same rules per instance / word.
        File.WriteAllText(Path.Combine(root, "mmocr.json"), """
            {"data_list": [{"img_path": "img/a.png", "instances": [
              {"polygon": [1, 2, 30, 2, 30, 20, 1, 20], "text": "ok"},
              {"polygon": [1, 2, 30, 20, 30, 2, 1, 20], "text": "bowtie"},
              {"polygon": [0, 0, 10, 10, 10, 0, 0, 10, 5, -3], "text": "star"},
              {"polygon": [1, 2, 30], "text": "odd"}]}]}
            """);
        var mm = DatasetReader.Open(Path.Combine(root, "mmocr.json"));
        Assert.Equal(["ok", "bowtie"], ((TextDetectionDataset)mm.Dataset).Images.Single().Regions.Select(r => r.Tag));
        Assert.Equal(["data_list[0].instances[1]", "data_list[0].instances[2]", "data_list[0].instances[3]"],
            mm.Skipped.Select(s => s.Where[(s.Where.IndexOf("data_list", StringComparison.Ordinal))..]));
        Directory.CreateDirectory(Path.Combine(root, "images"));
        File.Copy(Path.Combine(root, "img", "a.png"), Path.Combine(root, "images", "a.png"));
        File.WriteAllText(Path.Combine(root, "ufo.json"), """
            {"images": {"a.png": {"words": {
              "1": {"points": [[1, 2], [30, 2], [30, 20], [1, 20]], "transcription": "ok"},
              "2": {"points": [[0, 0], [10, 10], [10, 0], [0, 10], [5, -3]], "transcription": "star"},
              "3": {"points": [[1, 2], [30, 2]], "transcription": "two"}}}}}
            """);
        var ufo = DatasetReader.Open(Path.Combine(root, "ufo.json"));
        Assert.Equal(["ok"], ((TextDetectionDataset)ufo.Dataset).Images.Single().Regions.Select(r => r.Tag));
        Assert.Equal(["a polygon whose edges cross (5 points): left out", "a polygon with 2 points (at least 3): left out"],
            ufo.Skipped.Select(s => s.Problem));
    }

    [Fact]
    public void AClassFolderWithoutAReadableImageIsNotAClass()
    {
        var root = TestEnv.TempDir("unreadable-class");
        TestEnv.WriteImage(Path.Combine(root, "cat", "a.png"), 20, 10, Scalar.All(1));
        TestEnv.WriteImage(Path.Combine(root, "dog", "a.png"), 20, 10, Scalar.All(2));
        Directory.CreateDirectory(Path.Combine(root, "eel"));
        File.WriteAllBytes(Path.Combine(root, "eel", "only.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2]);
        var load = DatasetReader.Open(root);
        Assert.Equal(["cat", "dog"], load.Dataset.Classes);
        Assert.Equal(["only.jpg: truncated JPEG (no end-of-image marker)",
            "eel: a class folder without one readable image (its files are listed): left out"],
            load.Skipped.Select(s => $"{Path.GetFileName(s.Where)}: {s.Problem}"));
        // Two classes of one image each: a hold-out has nothing to hold out, and says so before any training.
        var config = Runs.ConfigResolver.Resolve(Config.ConfigLoader.Parse($"data: {{train: {root}, img_size: 32}}", "c.yaml"), "c.yaml");
        Assert.StartsWith($"data.val_split: 0.2 of {root} leaves no validation image",
            Assert.Throws<PodiumException>(() => Tasks.Classification.DataSetup.Prepare(config)).Message);
    }

    [Fact]
    public void LargeHoldOutsKeepATrainingImageOfEveryClassAndMacroScoresSkipClassesValidationLacks()
    {
        int[] labels = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2];
        var (train, val) = Splits.StratifiedGroupHoldout(labels, null, 0.9, seed: 4);
        Assert.Equal([1, 1, 1], Enumerable.Range(0, 3).Select(c => train.Count(i => labels[i] == c)));
        Assert.Equal([9, 1, 0], Enumerable.Range(0, 3).Select(c => val.Count(i => labels[i] == c)));
        // Class 2 (one image) is not in validation: macro F1 over the two classes there, as scikit-learn's default labels.
        static float[,] OneHot(int[] predicted)
        {
            var p = new float[predicted.Length, 3];
            for (int i = 0; i < predicted.Length; i++) p[i, predicted[i]] = 1;
            return p;
        }
        Assert.Equal((2.0 / 3 + 2.0 / 3) / 2, Evaluation.Metrics.Compute("f1_macro", [0, 0, 1], OneHot([0, 1, 1])), 12);
        // A class predicted but absent from the truth counts, with its F1 of 0.
        Assert.Equal((1.0 + 0 + 0) / 3, Evaluation.Metrics.Compute("f1_macro", [0, 1], OneHot([0, 2])), 12);
    }

    /// <summary>The lines of a command's output that report left-out inputs: one per source, never repeated.</summary>
    private static List<string> SkipLines(string stdout) =>
        [.. stdout.Split('\n').Where(l => l.StartsWith("skipped ", StringComparison.Ordinal))];

    [Fact]
    public void ExifOrientationIsAppliedAsOpenCvReadsIt()
    {
        using var image = new Mat(20, 40, MatType.CV_8UC3, Scalar.All(0));
        image[new Rect(0, 0, 10, 20)].SetTo(Scalar.All(255)); // the left quarter white
        Cv2.ImEncode(".jpg", image, out var jpeg);
        // APP1 "Exif\0\0" + a little-endian TIFF holding one IFD entry: Orientation (0x0112) = 6, rotate 90 degrees clockwise.
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0];
        byte[] app1 = [.. "Exif\0\0"u8, .. tiff];
        byte[] rotated = [.. jpeg[..2], 0xFF, 0xE1, (byte)((app1.Length + 2) >> 8), (byte)(app1.Length + 2), .. app1, .. jpeg[2..]];
        var path = Path.Combine(TestEnv.TempDir("exif"), "r.jpg");
        File.WriteAllBytes(path, rotated);
        Assert.Null(ImageDecoder.Check(path));
        using var decoded = ImageDecoder.Read(path, 3);
        Assert.Equal((20, 40), (decoded.Cols, decoded.Rows)); // upright: the white quarter is now the top
        Assert.True(decoded.At<Vec3b>(2, 10).Item0 > 200 && decoded.At<Vec3b>(37, 10).Item0 < 50);
    }

    /// <summary>
    /// An 8x8 baseline JPEG of one flat CMYK colour (Adobe's inverted CMYK, as Photoshop writes it: 255 is no ink), written by
    /// hand since OpenCV writes no CMYK: each block holds only its DC term, coded with a two-code DC table and an EOB-only AC
    /// table.
    /// </summary>
    private static byte[] CmykJpeg(byte c, byte m, byte y, byte k)
    {
        var bytes = new List<byte> { 0xFF, 0xD8 };
        void Segment(byte marker, params byte[] body) =>
            bytes.AddRange([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2), .. body]);
        Segment(0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, 0]); // APP14, transform 0: CMYK as stored
        Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]); // quantisation table 0: all ones
        Segment(0xC0, [8, 0, 8, 0, 8, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);
        // DC table 0: three 2-bit codes, 00 = category 0, 01 = category 10, 10 = category 11; AC table 0: 00 = end of block.
        Segment(0xC4, [0x00, 0, 3, .. new byte[14], 0, 10, 11]);
        Segment(0xC4, [0x10, 0, 1, .. new byte[14], 0]);
        Segment(0xDA, [4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]);
        var bits = new List<bool>();
        void Put(int value, int count) { for (int b = count - 1; b >= 0; b--) bits.Add((value >> b & 1) == 1); }
        foreach (var v in new[] { c, m, y, k })
        {
            int dc = 8 * (v - 128); // a flat block's DC term with quantiser 1: 0, or 10 or 11 bits long here
            int category = dc == 0 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)Math.Abs(dc));
            Assert.Contains(category, new[] { 0, 10, 11 });
            Put(category switch { 0 => 0b00, 10 => 0b01, _ => 0b10 }, 2);
            if (category > 0) Put(dc > 0 ? dc : dc + (1 << category) - 1, category); // negative values as ones' complement
            Put(0b00, 2); // EOB
        }
        while (bits.Count % 8 != 0) bits.Add(true); // padding with 1-bits
        for (int i = 0; i < bits.Count; i += 8)
        {
            byte b = 0;
            for (int j = 0; j < 8; j++) b = (byte)(b << 1 | (bits[i + j] ? 1 : 0));
            bytes.Add(b);
            if (b == 0xFF) bytes.Add(0); // byte stuffing
        }
        bytes.AddRange([0xFF, 0xD9]);
        return [.. bytes];
    }

    [Fact]
    public void CmykJpegsDecodeToRgb()
    {
        var root = TestEnv.TempDir("cmyk");
        var none = Path.Combine(root, "none.jpg");
        var cyan = Path.Combine(root, "cyan.jpg");
        File.WriteAllBytes(none, CmykJpeg(255, 255, 255, 255));
        File.WriteAllBytes(cyan, CmykJpeg(0, 255, 255, 255));
        Assert.Null(ImageDecoder.Check(cyan));
        Assert.Equal((8L, 8L), ImageHeader.Size(File.ReadAllBytes(cyan), "jpeg"));
        using var white = ImageDecoder.Read(none, 3);
        using var c = ImageDecoder.Read(cyan, 3);
        Assert.Equal(MatType.CV_8UC3, c.Type());
        Assert.True(white.At<Vec3b>(4, 4) is { Item0: > 250, Item1: > 250, Item2: > 250 }, $"{white.At<Vec3b>(4, 4)}");
        Assert.True(c.At<Vec3b>(4, 4) is { Item0: < 5, Item1: > 250, Item2: > 250 }, $"{c.At<Vec3b>(4, 4)}"); // RGB: no red
    }

    [Fact]
    public void CsvManifestsWithABomCrlfAndQuotedFieldsRead()
    {
        var root = TestEnv.TempDir("csv-forms");
        foreach (var name in new[] { "a, b.png", "q\"uote.png", "ü 日本.png" }) TestEnv.WriteImage(Path.Combine(root, name), 8, 8,
            Scalar.All(9));
        File.WriteAllText(Path.Combine(root, "m.csv"), "\uFEFFpath,label\r\n\"a, b.png\",cat\r\n\"q\"\"uote.png\",dog\r\nü 日本.png,cat\r\n");
        var load = DatasetReader.Open(Path.Combine(root, "m.csv"));
        Assert.Empty(load.Skipped);
        var files = ((FileImageDataset)load.Dataset).Files;
        Assert.Equal(["a, b.png", "q\"uote.png", "ü 日本.png"], files.Select(f => Path.GetFileName(f.Path)));
        Assert.Equal(["cat", "dog", "cat"], files.Select(f => load.Dataset.Classes[f.Label]));
    }

    [Fact]
    public void CheckpointZipsWithEscapingNamesOrBombsAreReadNoFurtherThanTheirPickle()
    {
        var root = TestEnv.TempDir("zips");
        var outside = Path.Combine(root, "escaped");
        // An entry named to escape the folder it would be unpacked to: nothing is unpacked, and its pickle is still checked.
        var traversal = Path.Combine(root, "traversal.pth");
        using (var zip = System.IO.Compression.ZipFile.Open(traversal, System.IO.Compression.ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("../escaped/data.pkl").Open())
            s.Write([0x80, 0x02, (byte)'c', .. "os\nsystem\n"u8, (byte)'.']);
        Assert.Contains("imports 'os.system'", Assert.Throws<PodiumException>(() => Pretrained.ReadStateDict(traversal)).Message);
        Assert.False(Directory.Exists(outside));
        // A pickle that unpacks to 300 MB of zeros from a few hundred KB.
        var bomb = Path.Combine(root, "bomb.pth");
        using (var zip = System.IO.Compression.ZipFile.Open(bomb, System.IO.Compression.ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("archive/data.pkl", CompressionLevel.SmallestSize).Open())
        {
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 300; i++) s.Write(zeros);
        }
        Assert.True(new FileInfo(bomb).Length < 2 << 20);
        Assert.Contains("its archive/data.pkl unpacks to 314572800 bytes, more than a checkpoint's pickle holds (256 MB)",
            Assert.Throws<PodiumException>(() => Pretrained.ReadStateDict(bomb)).Message);
    }

    [Fact]
    public void OutOfMemoryFromLibtorchIsRecognisedAndNamesTheSettings()
    {
        Exception caught;
        try { using var huge = empty(1L << 46, dtype: ScalarType.Float32); throw new InvalidOperationException("allocated 256 TB"); }
        catch (Exception e) { caught = e; }
        Assert.True(Platform.OutOfMemory.Is(caught), caught.Message);
        Assert.True(Platform.OutOfMemory.Is(new AggregateException(new OutOfMemoryException())));
        Assert.False(Platform.OutOfMemory.Is(new InvalidOperationException("bad")));
        var line = Platform.OutOfMemory.Explain(caught, "while training (runs/x)", "train.batch_size (now 64)");
        Assert.Equal("out of memory while training (runs/x) (an allocation of 262144 GB failed): lower train.batch_size (now 64)", line);
    }
}
