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
    private static nn.Module<Tensor, Tensor> FakeRun(string root, string name)
    {
        var yaml = $"seed: 0\ndata: {{train: data, img_size: 64}}\nmodel: {{name: {name}}}\n";
        File.WriteAllText(Path.Combine(root, "config.yaml"), yaml);
        File.WriteAllLines(Path.Combine(root, "classes.txt"), ["a", "b", "c", "d", "e"]);
        var model = ClassificationModels.Create(ConfigLoader.Parse(yaml, "config.yaml"), 5);
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
}
