using Onnx;
using Podium.Models.Onnx;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>PaddleOCR's PP-OCRv4 text detector and recogniser imported as trainable networks: ONNX Runtime's probability map on a
/// real receipt and its character probabilities on the receipt's lines, gradients to every weight (issue 17).</summary>
public class PaddleOcrImportTests
{
    /// <summary>A SROIE receipt at 640×480 (a multiple of 32, as PaddleOCR resizes), normalised as PaddleOCR does.</summary>
    private static float[] Receipt(int height, int width)
    {
        var w = Podium.Models.Weights.WeightsCatalog.Get("ppocrv4-det");
        using var image = Podium.Data.ImageDecoder.Read(Path.Combine(TestEnv.Datasets, "sroie", "img", "000.jpg"), 3);
        using var resized = image.Resize(new OpenCvSharp.Size(width, height));
        var input = new float[3 * height * width];
        for (int c = 0; c < 3; c++) // BGR planes: RGB channel 2 - c
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    input[(c * height + y) * width + x] = (float)((resized.At<OpenCvSharp.Vec3b>(y, x)[2 - c] / 255.0 - w.Mean[2 - c])
                        / w.Std[2 - c]);
        return input;
    }

    [Fact]
    public void TheDetectorGivesOnnxRuntimesProbabilityMapAndTrains()
    {
        var path = OcrWeights.Detector;
        var input = Receipt(640, 480);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var expected = OnnxImportTests.OnnxRuntime(model, input, [1, 3, 640, 480], "x");

        using var scope = NewDisposeScope();
        var net = OnnxNetwork.Load(path);
        net.eval();
        float[] actual;
        using (no_grad()) actual = net.forward(tensor(input, [1, 3, 640, 480])).data<float>().ToArray();
        Assert.Equal(640 * 480, actual.Length);
        Assert.True(expected.Count(p => p > 0.3f) > 5000, "a receipt has text: thousands of pixels above the 0.3 threshold");
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4, $"largest difference {worst}");

        // Every weight is reached by the gradient, and a few steps move them.
        net.train();
        var parameters = net.parameters().ToList();
        Assert.Equal(123, parameters.Count); // 62 convolutions and their biases, the transposed ones, 3 batch norms
        var before = parameters.Select(p => p.detach().clone()).ToList();
        var optimizer = optim.SGD(parameters, 0.01);
        var x = tensor(input, [1, 3, 640, 480])[.., .., ..256, ..256].contiguous();
        for (int step = 0; step < 2; step++)
        {
            optimizer.zero_grad();
            net.forward(x).mean().backward();
            Assert.All(parameters, p => Assert.NotNull(p.grad));
            optimizer.step();
        }
        // Those that stay are the few whose gradient is exactly 0 on this crop (a squeeze-excite bottleneck behind a dead ReLU).
        var moved = parameters.Zip(before).Count(t => !t.First.allclose(t.Second, rtol: 0, atol: 0));
        Assert.True(moved >= 110, $"{moved} of {parameters.Count} weights moved");
    }

    /// <summary>The first lines of a SROIE receipt as PaddleOCR's recogniser reads them: each box cut out and made 48 px high
    /// keeping its aspect, BGR planes scaled to -1..1, padded with zeros to the widest line (at least 320 px); and their
    /// transcriptions.</summary>
    private static (float[] Input, long[] Shape, string[] Texts) Lines(string id, int count)
    {
        const int height = 48;
        var sroie = Path.Combine(TestEnv.Datasets, "sroie");
        var boxes = File.ReadLines(Path.Combine(sroie, "box", id + ".txt")).Where(l => l.Trim().Length > 0).Take(count)
            .Select(l => l.Split(',', 9)).ToArray();
        var rects = boxes.Select(b =>
        {
            var xs = b.Take(8).Where((_, k) => k % 2 == 0).Select(int.Parse).ToArray();
            var ys = b.Take(8).Where((_, k) => k % 2 == 1).Select(int.Parse).ToArray();
            return new OpenCvSharp.Rect(xs.Min(), ys.Min(), xs.Max() - xs.Min(), ys.Max() - ys.Min());
        }).ToArray();
        using var image = Podium.Data.ImageDecoder.Read(Path.Combine(sroie, "img", id + ".jpg"), 3);
        var crops = rects.Select(r => new OpenCvSharp.Mat(image, r)).ToList();
        var (input, shape) = Podium.Ocr.LineImages.Batch(crops, height);
        crops.ForEach(c => c.Dispose());
        return (input, shape, [.. boxes.Select(b => b[8])]);
    }

    [Fact]
    public void TheRecogniserGivesOnnxRuntimesProbabilitiesReadsReceiptLinesAndTrains()
    {
        var path = OcrWeights.Recogniser;
        var characters = Podium.Ocr.CharacterSet.Load(Path.Combine(Path.GetDirectoryName(path)!, "ppocr_keys_v1.txt"), space: true);
        var (input, shape, texts) = Lines("000", 8);
        var expected = OnnxImportTests.OnnxRuntime(ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)), input, shape, "x");

        using var scope = NewDisposeScope();
        var net = OnnxNetwork.Load(path);
        net.eval();
        Tensor probabilities;
        using (no_grad()) probabilities = net.forward(tensor(input, shape));
        long steps = shape[3] / 8;
        Assert.Equal([texts.Length, steps, 6625], probabilities.shape); // a step per 8 px, blank + 6623 characters + space
        var actual = probabilities.data<float>().ToArray();
        // Float32's floor for this 20-odd-layer network with attention: the largest difference between two correct float32
        // runs is 3e-5 to 1.5e-4 from run to run (kernels whose summation order follows memory alignment and thread
        // scheduling, on either side; even one thread each varied 3.5e-5 to 1.1e-4), and ONNX Runtime's own optimised
        // graph differs from its unoptimised one by 1.8e-4. So: every probability within 2e-4, and on average within 1e-8
        // (about 8e-11 here).
        var differences = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).ToArray();
        Assert.True(differences.Max() <= 2e-4, $"largest difference {differences.Max()}");
        Assert.True(differences.Average() <= 1e-8, $"mean difference {differences.Average()}");

        // Read greedily, PaddleOCR's Chinese-and-English recogniser gets these printed receipt lines right, or nearly. SROIE's
        // transcriptions are upper case and the recogniser rarely writes spaces, so neither counts.
        static string Plain(string s) => s.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var read = Enumerable.Range(0, texts.Length).Select(i => Plain(characters.Decode(
            Podium.Ocr.CtcDecoder.Greedy(probabilities[i].log().data<float>().ToArray(), characters.Classes)))).ToArray();
        int errors = read.Zip(texts, (r, t) => Podium.Platform.EditDistance.Levenshtein(r, Plain(t))).Sum();
        Assert.True(errors <= texts.Sum(t => Plain(t).Length) / 10,
            $"{errors} character errors: " + string.Join(" | ", read.Zip(texts, (r, t) => $"{r} / {t}")));

        // The logits (the final softmax's input) train: every weight gets a gradient from a CTC loss on the transcriptions, and
        // a step moves them.
        var softmax = net.Nodes.Last(n => n.OpType == "Softmax");
        Assert.Equal(net.OutputName, softmax.Output[0]);
        net.train();
        var parameters = net.parameters().ToList();
        var before = parameters.Select(p => p.detach().clone()).ToList();
        var optimizer = optim.SGD(parameters, 1e-3);
        var targets = texts.Select(t => characters.Encode(t, new Dictionary<string, int>()).Select(k => (long)k).ToArray()).ToArray();
        var logits = net.Forward(tensor(input, shape)[..2], softmax.Input[0]).Node; // N x T x C
        var logProbabilities = logits.log_softmax(-1).permute(1, 0, 2);
        var loss = nn.functional.ctc_loss(logProbabilities, tensor(targets[0].Concat(targets[1]).ToArray()),
            tensor(new long[] { steps, steps }), tensor(new long[] { targets[0].Length, targets[1].Length }));
        loss.backward();
        optimizer.step();
        Assert.All(parameters, p => Assert.NotNull(p.grad));
        var moved = parameters.Zip(before).Count(t => !t.First.allclose(t.Second, rtol: 0, atol: 0));
        Assert.True(moved >= parameters.Count * 9 / 10, $"{moved} of {parameters.Count} weights moved");
    }

    [Fact]
    public void AnImportedDetectorTrainsAsADbNetWithANewThresholdHead()
    {
        Assert.True(Podium.Models.ImportedDbNet.Imports("ppocrv4-det"));
        Assert.True(Podium.Models.ImportedDbNet.Imports("onnx:my/det"));
        Assert.True(Podium.Models.ImportedDbNet.Imports("my/det.onnx"));
        Assert.False(Podium.Models.ImportedDbNet.Imports("ppocrv4-rec"));
        Assert.False(Podium.Models.ImportedDbNet.Imports("resnet18-imagenet"));
        Assert.False(Podium.Models.ImportedDbNet.Imports("weights.pth"));

        using var scope = NewDisposeScope();
        var path = OcrWeights.Detector;
        var net = Podium.Models.ImportedDbNet.Load(path);
        var plain = OnnxNetwork.Load(path);
        var x = tensor(Receipt(256, 192), [1, 3, 256, 192]);
        net.eval();
        plain.eval();
        using (no_grad())
        {
            var difference = (net.forward(x) - plain.forward(x)).abs().max().item<float>();
            Assert.True(difference <= 1e-5, $"{difference}"); // inference: the graph's own map (kernels may round differently)
        }
        net.train();
        var maps = net.forward(x);
        Assert.Equal([1L, 3, 256, 192], maps.shape); // probability, threshold, binary: what the DB loss takes
        maps[.., 1].mean().backward();
        Assert.All(net.named_parameters().Where(p => p.name.StartsWith("thresh.", StringComparison.Ordinal)),
            p => Assert.True(p.parameter.grad is not null, p.name));
    }

    [Fact]
    public void OcrTrainStartsFromPpOcrV4AndTheRunDetects()
    {
        var root = TestEnv.TempDir("ppocr-run");
        var sroie = Path.Combine(TestEnv.Datasets, "sroie");
        foreach (var sub in new[] { "img", "box" }) Directory.CreateDirectory(Path.Combine(root, "receipts", sub));
        foreach (var id in new[] { "000", "001", "002", "003", "004", "005", "006", "007" })
        {
            File.Copy(Path.Combine(sroie, "img", id + ".jpg"), Path.Combine(root, "receipts", "img", id + ".jpg"));
            File.Copy(Path.Combine(sroie, "box", id + ".txt"), Path.Combine(root, "receipts", "box", id + ".txt"));
        }
        File.WriteAllText(Path.Combine(root, "cfg.yaml"), """
            seed: 0
            data: {train: receipts, val_split: 0.25, img_size: 320}
            model: {pretrained: ppocrv4-det, freeze: backbone}
            train:
              epochs: 1
              batch_size: 2
            augment:
              train:
                - text_safe_crop: {size: 320}
            ocr: {eval_size: 960}
            """);
        var env = new Dictionary<string, string> { ["PODIUM_CACHE"] = OcrWeights.CacheRoot };
        var train = TestEnv.Podium(root, env, "ocr", "train", "cfg.yaml", "--out", "run");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        Assert.Contains("model DBNet imported from ppocrv4-det (a new threshold head)", train.Stdout);
        var best = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "run", "summary.json")))
            .RootElement.GetProperty("best").GetProperty("val_hmean").GetDouble();
        // Only the threshold head trained: the probability map is PaddleOCR's, which reads receipts it never saw.
        Assert.True(best > 0.8, $"val_hmean {best}");
        // The run normalises as PaddleOCR does (ImageNet's statistics on BGR planes, written here in RGB order).
        Assert.Equal([0.406, 0.456, 0.485], Podium.Config.ConfigLoader.Load(Path.Combine(root, "run", "config.yaml")).Data.Mean);

        var detect = TestEnv.Podium(root, env, "ocr", "detect", "--run", "run", "--input", Path.Combine("receipts", "img", "000.jpg"),
            "--out", "found");
        Assert.True(detect.ExitCode == 0, detect.Stderr + detect.Stdout);
        Assert.True(File.ReadAllLines(Path.Combine(root, "found", "res_000.txt")).Length > 10, "a receipt has many lines");
    }
}
