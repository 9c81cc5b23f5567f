// podium export against ONNX Runtime and PyTorch on real images (issue 22): for each classification run, its ONNX and
// safetensors exports; Podium's logits and ONNX Runtime's on 100 of the run's validation flowers (largest absolute
// difference), milliseconds per image at batch 1 for both (same threads), and the images and logits for PyTorch's check
// (exported_logits.py). For a DBNet run, the probability map on SROIE receipts at their detection size.
//   dotnet run -c Release --project bench/ExportBench -- OUT RUN... (bench/export/run.sh)
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Podium.Config;
using Podium.Runs;
using Podium.Tasks.Classification;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

var outDir = args[0];
Directory.CreateDirectory(outDir);
const int Threads = 2;
Podium.Platform.TorchRuntime.Configure(Threads);
foreach (var run in args.Skip(1))
{
    var name = Path.GetFileName(Path.GetFullPath(run));
    var config = ConfigLoader.Load(Path.Combine(run, "config.yaml"));
    var onnx = ModelExport.Export(run, "onnx", Path.Combine(outDir, name + ".onnx"));
    ModelExport.Export(run, "safetensors", Path.Combine(outDir, name + ".safetensors"));
    using var options = new SessionOptions { IntraOpNumThreads = Threads, InterOpNumThreads = 1 };
    using var session = new InferenceSession(onnx.Path, options);
    if (config.Ocr is not null) { Detector(name, config, run, session); continue; }

    var rm = RunModel.Load(run);
    rm.Model.eval();
    var setup = DataSetup.Prepare(rm.Config, _ => { });
    var pixels = new List<float>();
    long[] shape = [];
    int n = 0;
    foreach (var batch in Podium.Data.Loaders.Eval(setup.Val, rm.Config).Epoch(0))
    {
        int take = Math.Min(batch.Count, 100 - n);
        int per = batch.Pixels.Length / batch.Count;
        pixels.AddRange(batch.Pixels.AsSpan(0, take * per).ToArray());
        shape = batch.Shape;
        n += take;
        if (n == 100) break;
    }
    long[] all = [n, shape[1], shape[2], shape[3]];
    using var x = tensor(pixels.ToArray(), all);
    float[] podium;
    using (no_grad()) podium = rm.Model.forward(x).data<float>().ToArray();
    var ort = Run(session, pixels.ToArray(), all);
    double diff = podium.Zip(ort, (a, b) => Math.Abs(a - b)).Max();
    Safetensors.SaveStateDict(Path.Combine(outDir, name + ".io.safetensors"),
        new Dictionary<string, TorchSharp.torch.Tensor> { ["x"] = x, ["logits"] = tensor(podium, [n, podium.Length / n]) });

    // Batch 1, one image after another, after 5 to warm up: what serving one request costs.
    int per1 = pixels.Count / n;
    double PodiumMs(int i)
    {
        using var one = tensor(pixels.GetRange(i * per1, per1).ToArray(), [1, all[1], all[2], all[3]]);
        var clock = Stopwatch.StartNew();
        using (no_grad()) using (rm.Model.forward(one)) { }
        return clock.Elapsed.TotalMilliseconds;
    }
    double OrtMs(int i)
    {
        var one = pixels.GetRange(i * per1, per1).ToArray();
        var clock = Stopwatch.StartNew();
        Run(session, one, [1, all[1], all[2], all[3]]);
        return clock.Elapsed.TotalMilliseconds;
    }
    for (int i = 0; i < 5; i++) { PodiumMs(i); OrtMs(i); }
    var podiumMs = Enumerable.Range(0, n).Select(PodiumMs).Order().ToArray();
    var ortMs = Enumerable.Range(0, n).Select(OrtMs).Order().ToArray();
    Console.WriteLine($"{name}: {n} images {all[2]}x{all[3]}, ONNX {onnx.Bytes / 1048576.0:F1} MB; max |logit difference| " +
        $"{diff:E2} (logits up to {podium.Max(Math.Abs):F2}); ms/image at batch 1 (median): Podium {podiumMs[n / 2]:F2}, " +
        $"ONNX Runtime {ortMs[n / 2]:F2} (ratio {podiumMs[n / 2] / ortMs[n / 2]:F2})");
}

static float[] Run(InferenceSession session, float[] pixels, long[] shape)
{
    var input = NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(pixels, [.. shape.Select(d => (int)d)]));
    using var results = session.Run([input]);
    return [.. results.Single().AsEnumerable<float>()];
}

// The probability map of receipts at the size detection feeds them (ocr.eval_size), Podium's and ONNX Runtime's.
static void Detector(string name, PodiumConfig config, string run, InferenceSession session)
{
    var model = Podium.Models.DbNet.Create(config);
    model.load(Path.Combine(run, "checkpoints", "best.pt"));
    model.eval();
    var normalize = Podium.Augment.Pipelines.Val(config).Normalize;
    var receipts = Directory.GetFiles(Path.Combine(config.Data.Train, "img"), "*.jpg").Order().Take(10).ToList();
    double worst = 0;
    var podiumMs = new List<double>();
    var ortMs = new List<double>();
    string size = "";
    foreach (var path in receipts)
    {
        using var image = Podium.Data.ImageDecoder.Read(path, 3);
        var (h, w) = Podium.Ocr.DbTextDetector.InputSize(image.Rows, image.Cols, config.Ocr!.EvalSize);
        size = $"{h}x{w}";
        using var resized = Podium.Augment.Resize.ResizeTo(image, w, h);
        var pixels = new float[3 * h * w];
        normalize.WriteChw(resized, pixels);
        var clock = Stopwatch.StartNew();
        float[] podium;
        using (no_grad()) using (var x = tensor(pixels, [1, 3, h, w])) podium = model.forward(x).data<float>().ToArray();
        podiumMs.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        var ort = Run(session, pixels, [1, 3, h, w]);
        ortMs.Add(clock.Elapsed.TotalMilliseconds);
        worst = Math.Max(worst, podium.Zip(ort, (a, b) => Math.Abs(a - b)).Max());
    }
    // The first page of each warms up; the median of the rest.
    double P(List<double> ms) => ms.Skip(1).Order().ElementAt((ms.Count - 1) / 2);
    Console.WriteLine($"{name}: {receipts.Count} SROIE receipts (e.g. {size}); max |probability difference| {worst:E2}; " +
        $"ms/page (median): Podium {P(podiumMs):F0}, ONNX Runtime {P(ortMs):F0} (ratio {P(podiumMs) / P(ortMs):F2})");
}
