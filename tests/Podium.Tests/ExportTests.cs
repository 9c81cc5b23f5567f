using System.Text.Json;
using Podium.Config;
using Podium.Tasks.Classification;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>`podium export`: the state dict a run exports loads strictly into Debian's PyTorch (torchvision's ResNet, timm's
/// EfficientNet and ConvNeXt written out in Fixtures/torch) and gives the logits Podium gives.</summary>
public class ExportTests
{
    [Theory]
    [InlineData("resnet18", "torchvision")]
    [InlineData("efficientnet_b0", "timm")]
    [InlineData("convnext_atto", "timm")]
    public async Task SafetensorsLoadIntoPyTorchWithTheSameLogits(string name, string names)
    {
        var root = TestEnv.TempDir("export");
        var model = FakeRun(root, name);
        var exported = Path.Combine(root, "model.safetensors");
        var r = TestEnv.Podium(root, "export", "--run", root, "--format", "safetensors", "--out", exported);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains($"under {names} names", r.Stdout);
        using (var description = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "model.json"))))
        {
            Assert.Equal(names, description.RootElement.GetProperty("names").GetString());
            Assert.Equal(5, description.RootElement.GetProperty("classes").GetArrayLength());
            Assert.Equal(0.485, description.RootElement.GetProperty("mean")[0].GetDouble(), 6);
        }

        var io = Path.Combine(root, "io.safetensors");
        using (no_grad())
        {
            var x = randn([2, 3, 64, 64], generator: new Generator(7));
            Safetensors.SaveStateDict(io, new Dictionary<string, Tensor> { ["x"] = x, ["logits"] = model.forward(x) });
        }
        var script = Path.Combine(TestEnv.RepoRoot, "tests", "Podium.Tests", "Fixtures", "torch", "exported_logits.py");
        var py = TestEnv.Run("/usr/bin/python3", root, new Dictionary<string, string>(), TimeSpan.FromMinutes(2), script, name,
            exported, io);
        Assert.True(py.ExitCode == 0, py.Stderr);
        using var result = JsonDocument.Parse(py.Stdout);
        double diff = result.RootElement.GetProperty("max_abs_diff").GetDouble();
        Assert.True(diff < 1e-4, $"{name}: PyTorch's logits differ from Podium's by {diff}");
        Assert.True(result.RootElement.GetProperty("logit_scale").GetDouble() > 1e-2); // logits that could differ
    }

    [Theory]
    [InlineData("resnet18", 3)]
    [InlineData("efficientnet_b0", 3)]
    [InlineData("convnext_atto", 3)]
    [InlineData("resnet18", 1)] // grey images through Podium's input adapter
    public void OnnxRunsInOnnxRuntimeWithTheSameLogitsForAnyBatch(string name, int channels)
    {
        var root = TestEnv.TempDir("export");
        var model = FakeRun(root, name, channels);
        var exported = Path.Combine(root, "model.onnx");
        var r = TestEnv.Podium(root, "export", "--run", root, "--format", "onnx", "--out", exported);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("ONNX opset 17", r.Stdout);
        using (var description = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "model.json"))))
            Assert.Equal("logits", description.RootElement.GetProperty("output").GetString());

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(exported);
        foreach (int batch in new[] { 1, 3 })
        {
            using var x = randn([batch, channels, 64, 64], generator: new Generator((ulong)batch));
            float[] expected;
            using (no_grad()) expected = model.forward(x).data<float>().ToArray();
            var (output, _, values) = OnnxRuntime(session, x);
            Assert.Equal("logits", output);
            OnnxImportTests.AssertClose(expected, values);
        }
    }

    [Theory]
    [InlineData("mobilenet_v3_large")]
    [InlineData("resnet18")]
    public void TheDbNetProbabilityMapRunsInOnnxRuntimeForPagesOfAnySize(string backbone)
    {
        var root = TestEnv.TempDir("export");
        var yaml = $"seed: 0\ndata: {{train: data, img_size: 64}}\nmodel: {{name: {backbone}}}\nocr: {{neck: fpn}}\n";
        var model = SaveRun(root, yaml, ["text"], Models.DbNet.Create(ConfigLoader.Parse(yaml, "config.yaml")));
        var exported = Path.Combine(root, "dbnet.onnx");
        var r = TestEnv.Podium(root, "export", "--run", root, "--format", "onnx", "--out", exported);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(exported);
        foreach (var (h, w) in new[] { (96, 128), (160, 64) })
        {
            using var x = rand([1, 3, h, w], generator: new Generator((ulong)h));
            float[] expected;
            using (no_grad()) expected = model.forward(x).data<float>().ToArray();
            var (output, dimensions, values) = OnnxRuntime(session, x);
            Assert.Equal("maps", output);
            Assert.Equal([1, 1, h, w], dimensions);
            Assert.True(expected.Max() - expected.Min() > 0.01); // a map whose pixels could differ
            OnnxImportTests.AssertClose(expected, values);
        }
    }

    [Fact]
    public void OtherRunsAndFormatsAreOneLine()
    {
        var root = TestEnv.TempDir("export");
        FakeRun(root, "resnet18");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "export", "--run", root, "--format", "pickle"), "--format pickle: one of");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "export", "--run", Path.Combine(root, "nothing")), "no such run directory");
        File.WriteAllText(Path.Combine(root, "config.yaml"), "data: {train: data}\nssl: {method: simclr}\n");
        EndToEndTests.AssertOneLine(TestEnv.Podium(root, "export", "--run", root), "a self_supervised run; podium export writes");
    }

    /// <summary>A run folder as training leaves it (config, classes, best checkpoint) holding <paramref name="name"/> with random
    /// weights and batch-norm statistics that are not the identity, so that every tensor's name and place matter.</summary>
    private static nn.Module<Tensor, Tensor> FakeRun(string root, string name, int channels = 3)
    {
        var stats = channels == 1 ? ", mean: [0.5], std: [0.25]" : "";
        var yaml = $"seed: 0\ndata: {{train: data, img_size: 64, channels: {channels}{stats}}}\nmodel: {{name: {name}}}\n";
        return SaveRun(root, yaml, ["a", "b", "c", "d", "e"], ClassificationModels.Create(ConfigLoader.Parse(yaml, "config.yaml"), 5));
    }

    /// <summary>The run folder (config, classes, best checkpoint) of <paramref name="model"/>, given batch-norm statistics that are
    /// not the identity, in evaluation mode.</summary>
    private static nn.Module<Tensor, Tensor> SaveRun(string root, string yaml, string[] classes, nn.Module<Tensor, Tensor> model)
    {
        File.WriteAllText(Path.Combine(root, "config.yaml"), yaml);
        File.WriteAllLines(Path.Combine(root, "classes.txt"), classes);
        var generator = new Generator(3);
        using (no_grad())
            foreach (var (buffer, t) in model.named_buffers())
            {
                if (buffer.EndsWith("running_mean", StringComparison.Ordinal)) t.copy_(randn(t.shape, generator: generator) * 0.1);
                if (buffer.EndsWith("running_var", StringComparison.Ordinal)) t.copy_(rand(t.shape, generator: generator) + 0.5);
            }
        model.eval();
        Directory.CreateDirectory(Path.Combine(root, "checkpoints"));
        model.save(Path.Combine(root, "checkpoints", "best.pt"));
        return model;
    }

    /// <summary>ONNX Runtime's one output for <paramref name="x"/> as the graph's input: its name, dimensions and values.</summary>
    private static (string Name, int[] Dimensions, float[] Values) OnnxRuntime(Microsoft.ML.OnnxRuntime.InferenceSession session,
        Tensor x)
    {
        var input = Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("input", new Microsoft.ML.OnnxRuntime.Tensors
            .DenseTensor<float>(x.data<float>().ToArray(), [.. x.shape.Select(d => (int)d)]));
        using var results = session.Run([input]);
        var output = results.Single();
        return (output.Name, output.AsTensor<float>().Dimensions.ToArray(), [.. output.AsEnumerable<float>()]);
    }
}
