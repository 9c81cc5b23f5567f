using System.IO.Compression;
using Podium.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>Pretrained weights: PyTorch checkpoints read safely, mapped onto Podium's models, reported.</summary>
public class PretrainedTests
{
    private static string Fixture(string name) => Path.Combine(TestEnv.RepoRoot, "tests", "Podium.Tests", "Fixtures", "pytorch", name);

    [Fact]
    public void ACheckpointSavedByPyTorchReadsWithItsDtypes()
    {
        // torch.save({"epoch": 3, "state_dict": ...}) by Debian's PyTorch 1.13 (see Fixtures/pytorch/README.md)
        var sd = Pretrained.ReadStateDict(Fixture("small_checkpoint.pth"));
        Assert.Equal(["bn.num_batches_tracked", "bn.running_mean", "conv.weight", "fc.weight"], sd.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([2L, 1, 3, 3], sd["conv.weight"].shape);
        Assert.Equal(-1.1258398294448853f, sd["conv.weight"].data<float>()[0]);
        Assert.Equal(1.4214179515838623f, sd["bn.running_mean"].data<float>()[1]);
        Assert.Equal(7L, sd["bn.num_batches_tracked"].item<long>());
        Assert.Equal(ScalarType.Float16, sd["fc.weight"].dtype);
        Assert.Equal(-0.6708984375f, sd["fc.weight"].to(ScalarType.Float32).data<float>()[1]);
    }

    [Fact]
    public void APickleThatImportsAnythingButTensorRebuildingIsRefusedAndNothingRuns()
    {
        File.Delete("/tmp/podium-pwned");
        var e = Assert.Throws<PodiumException>(() => Pretrained.ReadStateDict(Fixture("evil.pth")));
        Assert.Contains("refused: its pickle imports 'posix.system'", e.Message);
        Assert.False(File.Exists("/tmp/podium-pwned"));
        // The protocol-4 form (STACK_GLOBAL) of the same trick, and a legacy (non-zip) pickle.
        var root = TestEnv.TempDir("pickle");
        var stackGlobal = Path.Combine(root, "stack.pth");
        using (var zip = ZipFile.Open(stackGlobal, ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("archive/data.pkl").Open())
            s.Write([0x80, 0x04, 0x8c, 0x08, .. "builtins"u8, 0x94, 0x8c, 0x04, .. "eval"u8, 0x94, 0x93, 0x94, 0x8c, 0x01, (byte)'1', 0x85,
                (byte)'R', (byte)'.']);
        Assert.Contains("imports 'builtins.eval'", Assert.Throws<PodiumException>(() => Pretrained.ReadStateDict(stackGlobal)).Message);
        var legacy = Path.Combine(root, "legacy.pth");
        File.WriteAllBytes(legacy, [0x80, 0x02, (byte)'c', .. "os\nsystem\n"u8, (byte)'.']);
        Assert.Contains("not a PyTorch zip checkpoint", Assert.Throws<PodiumException>(() => Pretrained.ReadStateDict(legacy)).Message);
        Assert.Equal(["collections.OrderedDict", "torch._utils._rebuild_tensor_v2"],
            PickleGuard.Globals([0x80, 0x02, (byte)'c', .. "collections\nOrderedDict\n"u8, (byte)'c',
                .. "torch._utils\n_rebuild_tensor_v2\n"u8, (byte)'.']));
    }

    [Fact]
    public void WeightsMapOntoWrappedModelsAndADifferentHeadIsReported()
    {
        using var scope = NewDisposeScope();
        var root = TestEnv.TempDir("pretrained");
        var source = ModelRegistry.Create("resnet18", 10);
        var pth = Path.Combine(root, "resnet18.pth");
        source.save_py(pth); // the PyTorch format, torchvision's key names
        source.save_safetensors(Path.Combine(root, "resnet18.safetensors"));

        // Same classes: every tensor loads, and the model computes what the source computes.
        var same = ModelRegistry.Create("resnet18", 10);
        var report = Pretrained.Load(same, Path.Combine(root, "resnet18.safetensors"));
        Assert.Equal((122, 0, 0, 0), (report.Loaded, report.Missing.Count, report.Unexpected.Count, report.Mismatched.Count));
        source.eval(); same.eval();
        var x = randn(1, 3, 64, 64);
        Assert.True(source.forward(x).allclose(same.forward(x)));

        // Grayscale input (net.) and a multi-sample-dropout head (backbone./head.): the backbone loads, the 5-class head is new.
        var wrapped = ModelRegistry.Create("resnet18", 5, 1, new MultiSampleDropoutHead.Options());
        report = Pretrained.Load(wrapped, pth);
        Assert.Equal(120, report.Loaded);
        Assert.Equal(2, report.Missing.Count); // head.fc.weight, head.fc.bias
        Assert.Equal(["fc.bias", "fc.weight"], report.Unexpected.Order(StringComparer.Ordinal));
        var conv = wrapped.named_parameters().Single(p => p.name.EndsWith("backbone.conv1.weight", StringComparison.Ordinal)).parameter;
        var original = source.named_parameters().Single(p => p.name == "conv1.weight").parameter;
        Assert.True(conv.allclose(original));
        Assert.Contains("pretrained weights not found",
            Assert.Throws<PodiumException>(() => Pretrained.Load(wrapped, Path.Combine(root, "none.pth"))).Message);
    }

    [Fact]
    public void TrainingStartsFromPretrainedWeightsAndSaysWhatLoaded()
    {
        var root = TestEnv.ShapesProject("pretrained-train", trainPerClass: 6, seed: 3, configYaml: """
            data: {train: data/train, img_size: 32}
            model: {name: resnet18, pretrained: init.pth}
            train: {epochs: 1, batch_size: 8}
            """);
        // 7 classes: the head cannot load
        using (var scope = NewDisposeScope()) ModelRegistry.Create("resnet18", 7).save_py(Path.Combine(root, "init.pth"));
        var r = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("/init.pth: loaded 120 tensors; 0 missing, 0 unexpected, 2 with another shape (fc.weight [7x512] vs [5x512]",
            r.Stdout);
        File.WriteAllText(Path.Combine(root, "bad.yaml"), File.ReadAllText(Path.Combine(root, "cfg.yaml")).Replace("init.pth",
            Fixture("evil.pth")));
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "train", "bad.yaml", "--out", "run2"),
            "refused: its pickle imports 'posix.system'");
    }

    [Fact]
    public void FeatureExtractionKeepsTheBackboneAndUnfreezingReleasesItOnSchedule()
    {
        var root = TestEnv.ShapesProject("freeze", trainPerClass: 6, seed: 4, configYaml: """
            data: {train: data/train, img_size: 32}
            model:
              name: resnet18
              pretrained: init.pth
              freeze: backbone
              unfreeze: [{epoch: 2, pattern: '^layer4\.'}]
            train: {epochs: 2, batch_size: 8}
            """);
        using var scope = NewDisposeScope();
        var init = ModelRegistry.Create("resnet18", 5);
        init.save_py(Path.Combine(root, "init.pth"));
        var r = TestEnv.Podium(root, "train", "cfg.yaml", "--out", "run");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("epoch 1: 2 of 62 parameter tensors train", r.Stdout);
        Assert.Contains("epoch 2: 17 of 62 parameter tensors train", r.Stdout); // fc + layer4's 15
        var trained = ModelRegistry.Create("resnet18", 5);
        trained.load(Path.Combine(root, "run", "checkpoints", "last.pt"));
        Tensor P(nn.Module m, string name) => m.named_parameters().Single(p => p.name == name).parameter;
        Assert.True(P(trained, "conv1.weight").allclose(P(init, "conv1.weight"), 0, 0));            // frozen throughout
        Assert.False(P(trained, "layer4.1.conv2.weight").allclose(P(init, "layer4.1.conv2.weight"), 0, 0)); // released at epoch 2
        Assert.False(P(trained, "fc.weight").allclose(P(init, "fc.weight"), 0, 0));                  // the head always trains
        // A frozen batch norm keeps its running statistics; a released one follows the data.
        Tensor B(nn.Module m, string name) => m.named_buffers().Single(b => b.name == name).buffer;
        Assert.True(B(trained, "bn1.running_mean").allclose(B(init, "bn1.running_mean"), 0, 0));
        Assert.False(B(trained, "layer4.1.bn2.running_mean").allclose(B(init, "layer4.1.bn2.running_mean"), 0, 0));
        Assert.Contains("epoch 1: 2 of 62 parameter tensors train; 20 frozen batch norms use their running statistics", r.Stdout);
    }

    [Fact]
    public async Task HubWeightsDownloadOnceFromTheEndpointIntoTheCache()
    {
        var root = TestEnv.TempDir("hub");
        var weights = Path.Combine(root, "served.safetensors");
        using (var scope = NewDisposeScope()) ModelRegistry.Create("resnet18", 3).save_safetensors(weights);
        // A Hub stand-in on loopback: model.safetensors for acme/tiny, 404 for anything else.
        var listener = new System.Net.HttpListener();
        int port = 0;
        for (int attempt = 0; ; attempt++)
        {
            port = System.Net.IPEndPoint.MinPort + 20000 + Random.Shared.Next(20000);
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try { listener.Start(); break; }
            catch (System.Net.HttpListenerException) when (attempt < 20) { listener = new System.Net.HttpListener(); }
        }
        var requests = new List<string>();
        var serving = Task.Run(() =>
        {
            while (listener.IsListening)
            {
                System.Net.HttpListenerContext context;
                try { context = listener.GetContext(); } catch (System.Net.HttpListenerException) { return; }
                lock (requests) requests.Add(context.Request.Url!.AbsolutePath);
                if (context.Request.Url!.AbsolutePath == "/acme/tiny/resolve/main/model.safetensors")
                {
                    var bytes = File.ReadAllBytes(weights);
                    context.Response.ContentLength64 = bytes.Length;
                    context.Response.OutputStream.Write(bytes);
                }
                else context.Response.StatusCode = 404;
                context.Response.Close();
            }
        });
        try
        {
            var endpoint = $"http://127.0.0.1:{port}";
            var cache = Path.Combine(root, "cache");
            var file = HubDownload.Resolve("hf-hub:acme/tiny", _ => { }, endpoint, cache);
            Assert.Equal(File.ReadAllBytes(weights), File.ReadAllBytes(file));
            Assert.Equal(file, HubDownload.Resolve("hf-hub:acme/tiny", _ => { }, endpoint, cache)); // cached: no second request
            lock (requests) Assert.Single(requests);
            using var scope = NewDisposeScope();
            Assert.Equal(122, Pretrained.Load(ModelRegistry.Create("resnet18", 3), file).Loaded);
            var missing = Assert.Throws<PodiumException>(() => HubDownload.Resolve("hf-hub:acme/none", _ => { }, endpoint, cache));
            Assert.Contains("no weights found", missing.Message);
            Assert.Contains("pytorch_model.bin", missing.Message);
            Assert.Contains("expected hf-hub:ORG/NAME",
                Assert.Throws<PodiumException>(() => HubDownload.Resolve("hf-hub:nope", _ => { }, endpoint, cache)).Message);
        }
        finally
        {
            listener.Stop();
            await serving.WaitAsync(TimeSpan.FromSeconds(5));
        }
    }
}
