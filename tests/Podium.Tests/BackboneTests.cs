using Podium.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>
/// Podium's own backbones. Logit parity with torchvision's implementations is bench/pretrained/run.sh
/// (it needs PyTorch); here: the architectures have exactly the published parameter counts and timm's
/// tensor names and shapes, every family has a features mode, trains, and handles other image sizes.
/// </summary>
public class BackboneTests
{
    [Theory]
    // torchvision's and timm's counts with 1,000 classes (ConvNeXt atto/nano: timm's 1x1-conv MLP has the linear one's count).
    [InlineData("efficientnet_b0", 5_288_548)]
    [InlineData("efficientnet_b1", 7_794_184)]
    [InlineData("efficientnet_b2", 9_109_994)]
    [InlineData("efficientnet_b3", 12_233_232)]
    [InlineData("convnext_atto", 3_695_520)]
    [InlineData("convnext_nano", 15_593_560)]
    [InlineData("convnext_tiny", 28_589_128)]
    [InlineData("vit_tiny_patch16", 5_717_416)]
    [InlineData("vit_small_patch16", 22_050_664)]
    public void ParameterCountsArePublishedOnes(string name, long parameters)
    {
        using var _ = NewDisposeScope();
        var model = ModelRegistry.Create(name, 1000);
        Assert.Equal(parameters, model.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData("efficientnet_b0", "blocks.1.0.se.conv_reduce.weight", new long[] { 4, 96, 1, 1 })]
    [InlineData("efficientnet_b0", "blocks.0.0.conv_pw.weight", new long[] { 16, 32, 1, 1 })]
    [InlineData("efficientnet_b3", "conv_head.weight", new long[] { 1536, 384, 1, 1 })]
    [InlineData("convnext_atto", "stages.1.downsample.1.weight", new long[] { 80, 40, 2, 2 })]
    [InlineData("convnext_atto", "stages.0.blocks.0.mlp.fc1.weight", new long[] { 160, 40, 1, 1 })]
    [InlineData("convnext_tiny", "stages.0.blocks.0.mlp.fc1.weight", new long[] { 384, 96 })]
    [InlineData("convnext_tiny", "stages.3.blocks.2.gamma", new long[] { 768 })]
    [InlineData("convnext_tiny", "head.norm.weight", new long[] { 768 })]
    [InlineData("vit_tiny_patch16", "pos_embed", new long[] { 1, 197, 192 })]
    [InlineData("vit_small_patch16", "blocks.11.attn.qkv.weight", new long[] { 1152, 384 })]
    public void TensorsHaveTimmNamesAndShapes(string name, string key, long[] shape)
    {
        using var _ = NewDisposeScope();
        var state = ModelRegistry.Create(name, 1000).state_dict();
        Assert.True(state.ContainsKey(key), $"{name} has no {key}");
        Assert.Equal(shape, state[key].shape);
    }

    [Theory]
    [InlineData("efficientnet_b0", 1280)]
    [InlineData("convnext_atto", 320)]
    [InlineData("vit_tiny_patch16", 192)]
    [InlineData("coatnet_0", 768)]
    public void FeaturesModeAndOtherImageSizes(string name, long width)
    {
        using var _ = NewDisposeScope();
        manual_seed(0);
        var features = ModelRegistry.Features(name, imgSize: 64);
        features.eval();
        using var noGrad = no_grad();
        Assert.Equal([2L, width], features.forward(randn(2, 3, 64, 64)).shape);
        Assert.Equal(width, ModelRegistry.FeatureWidth(name));
        // Another size than the one the position tables were made for (ViT, CoAtNet resample them), and grayscale input.
        Assert.Equal([1L, width], features.forward(randn(1, 3, 96, 96)).shape);
        var gray = ModelRegistry.Create(name, 5, inChannels: 1, imgSize: 64);
        gray.eval();
        Assert.Equal([3L, 5L], gray.forward(randn(3, 1, 64, 64)).shape);
    }

    [Theory]
    [InlineData("efficientnet_b0")]
    [InlineData("convnext_atto")]
    [InlineData("vit_tiny_patch16")]
    [InlineData("coatnet_0")]
    public void EveryFamilyLearnsAFixedBatch(string name)
    {
        using var _ = NewDisposeScope();
        manual_seed(1);
        var model = ModelRegistry.Create(name, 3, 3, imgSize: 32);
        var x = randn(6, 3, 32, 32);
        var y = tensor(new long[] { 0, 1, 2, 0, 1, 2 });
        var optimizer = optim.AdamW(model.parameters(), lr: 1e-4);
        double first = 0, last = 0;
        for (int step = 0; step < 15; step++)
        {
            using var stepScope = NewDisposeScope();
            model.train();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < 0.5 * first, $"{name}: loss {first:F3} -> {last:F3}");
        // Every parameter got a gradient (nothing built but left out of the graph), the position tables included.
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.grad is not null, $"{p.name} has no gradient"));
    }

    [Fact]
    public void WeightsForAnotherImageSizeAndSqueezedShapesLoad()
    {
        using var _ = NewDisposeScope();
        manual_seed(3);
        var root = TestEnv.TempDir("backbone-weights");
        // ViT weights made at 224 px load into a 112 px model: its position grid is resampled (14x14 to 7x7),
        // which is what the 224 px model itself does for a 112 px image, so the two agree.
        var source = ModelRegistry.Create("vit_tiny_patch16", 4);
        source.save_safetensors(Path.Combine(root, "vit.safetensors"));
        var small = ModelRegistry.Create("vit_tiny_patch16", 4, 3, imgSize: 112);
        var report = Pretrained.Load(small, Path.Combine(root, "vit.safetensors"), "vit_tiny_patch16");
        Assert.Equal((152, 0, 0), (report.Loaded, report.Missing.Count, report.Mismatched.Count));
        Assert.Equal([1L, 50L, 192L], small.state_dict()["pos_embed"].shape);
        source.eval(); small.eval();
        using (no_grad())
        {
            var x = randn(2, 3, 112, 112);
            Assert.True(source.forward(x).allclose(small.forward(x), rtol: 1e-5, atol: 1e-6));
        }

        // Linear weights [O, I] into 1x1 convs [O, I, 1, 1] and layer scales stored as [C, 1, 1] (torchvision's ConvNeXt).
        var atto = ModelRegistry.Create("convnext_atto", 4);
        var squeezed = atto.state_dict().ToDictionary(e => e.Key, e => e.Key.EndsWith("gamma",
            StringComparison.Ordinal) ? e.Value.reshape(-1, 1,
            1) : e.Value.dim() == 4 && e.Value.shape[2] == 1 && e.Value.shape[3] == 1 ? e.Value.flatten(1) : e.Value);
        TorchSharp.PyBridge.Safetensors.SaveStateDict(Path.Combine(root, "atto.safetensors"), squeezed);
        var copy = ModelRegistry.Create("convnext_atto", 4);
        report = Pretrained.Load(copy, Path.Combine(root, "atto.safetensors"), "convnext_atto");
        Assert.Equal((128, 0, 0), (report.Loaded, report.Missing.Count, report.Mismatched.Count));
        Assert.All(copy.state_dict(), e => Assert.True(e.Value.equal(atto.state_dict()[e.Key]).all().item<bool>(), e.Key));
    }

    [Theory]
    // torchvision's names (as its state dicts spell them) and the timm names Podium's models carry.
    [InlineData("efficientnet_b0", "features.0.0.weight", "conv_stem.weight")]
    [InlineData("efficientnet_b0", "features.0.1.running_var", "bn1.running_var")]
    [InlineData("efficientnet_b0", "features.1.0.block.0.0.weight", "blocks.0.0.conv_dw.weight")]
    [InlineData("efficientnet_b0", "features.1.0.block.1.fc1.weight", "blocks.0.0.se.conv_reduce.weight")]
    [InlineData("efficientnet_b0", "features.1.0.block.2.1.bias", "blocks.0.0.bn2.bias")]
    [InlineData("efficientnet_b0", "features.2.1.block.0.0.weight", "blocks.1.1.conv_pw.weight")]
    [InlineData("efficientnet_b0", "features.2.1.block.1.0.weight", "blocks.1.1.conv_dw.weight")]
    [InlineData("efficientnet_b0", "features.2.1.block.2.fc2.bias", "blocks.1.1.se.conv_expand.bias")]
    [InlineData("efficientnet_b0", "features.2.1.block.3.1.weight", "blocks.1.1.bn3.weight")]
    [InlineData("efficientnet_b0", "features.8.0.weight", "conv_head.weight")]
    [InlineData("efficientnet_b0", "classifier.1.weight", "classifier.weight")]
    [InlineData("convnext_tiny", "features.0.0.weight", "stem.0.weight")]
    [InlineData("convnext_tiny", "features.1.2.layer_scale", "stages.0.blocks.2.gamma")]
    [InlineData("convnext_tiny", "features.1.0.block.5.bias", "stages.0.blocks.0.mlp.fc2.bias")]
    [InlineData("convnext_tiny", "features.5.8.block.2.weight", "stages.2.blocks.8.norm.weight")]
    [InlineData("convnext_tiny", "features.4.1.weight", "stages.2.downsample.1.weight")]
    [InlineData("convnext_tiny", "classifier.0.weight", "head.norm.weight")]
    [InlineData("convnext_tiny", "classifier.2.bias", "head.fc.bias")]
    [InlineData("vit_tiny_patch16", "encoder.layers.encoder_layer_11.self_attention.in_proj_weight", "blocks.11.attn.qkv.weight")]
    [InlineData("vit_tiny_patch16", "encoder.layers.encoder_layer_0.self_attention.out_proj.bias", "blocks.0.attn.proj.bias")]
    [InlineData("vit_tiny_patch16", "encoder.layers.encoder_layer_3.mlp.3.weight", "blocks.3.mlp.fc2.weight")]
    [InlineData("vit_tiny_patch16", "encoder.layers.encoder_layer_3.ln_2.bias", "blocks.3.norm2.bias")]
    [InlineData("vit_tiny_patch16", "conv_proj.bias", "patch_embed.proj.bias")]
    [InlineData("vit_tiny_patch16", "class_token", "cls_token")]
    [InlineData("vit_tiny_patch16", "encoder.pos_embedding", "pos_embed")]
    [InlineData("vit_tiny_patch16", "encoder.ln.weight", "norm.weight")]
    [InlineData("vit_tiny_patch16", "heads.head.weight", "head.weight")]
    public void TorchvisionNamesMapOntoTheModelsTimmNames(string model, string torchvision, string timm)
    {
        Assert.Equal(timm, TorchvisionNames.ToTimm(model, torchvision));
        Assert.Equal(timm, TorchvisionNames.ToTimm(model, timm)); // timm's own names pass through
        Assert.Contains(timm, StateKeys.GetOrAdd(model, m =>
        {
            using var _ = NewDisposeScope();
            return ModelRegistry.Create(m, 1000).state_dict().Keys.ToHashSet();
        }));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<string>> StateKeys = new();

    [Fact]
    public void EmbeddingsOfAPlainModelAreItsOwnPooledFeatures()
    {
        using var _ = NewDisposeScope();
        manual_seed(5);
        var config = new Podium.Config.PodiumConfig();
        var model = ModelRegistry.Create("resnet18", 4);
        model.eval();
        var embed = Podium.Evaluation.Embeddings.Embedder(model, config, CPU);
        using var noGrad = no_grad();
        var x = randn(2, 3, 64, 64);
        // The classifier's own input: every child of the torchvision model but fc, in order.
        Tensor y = x;
        foreach (var (name, child) in model.named_children())
            if (name != "fc") y = ((nn.Module<Tensor, Tensor>)child).forward(y);
        var expected = nn.functional.normalize(y.flatten(1), p: 2, dim: 1);
        Assert.True(embed(x).allclose(expected, rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void StochasticDepthIsRefusedWhereNothingWouldUseIt()
    {
        var e = Assert.Throws<ConfigException>(() =>
            Podium.Runs.ConfigResolver.Resolve(Podium.Config.ConfigLoader.Parse("data: {train: x}\nmodel: {name: resnet18, drop_path: 0.1}",
                "cfg.yaml"), "cfg.yaml"));
        Assert.Equal("cfg.yaml: model.drop_path: applies to Podium's own backbones (coatnet_0, convnext_*, efficientnet_*, vit_*), " +
            "not TorchVision's resnet18; use model.head.dropout for its head", e.Message);
        var own = Podium.Runs.ConfigResolver.Resolve(Podium.Config.ConfigLoader.Parse(
            "data: {train: x}\nmodel: {name: convnext_atto, drop_path: 0.1}", "cfg.yaml"), "cfg.yaml");
        Assert.Equal(new ConvNeXt.Options { DropPath = 0.1 }, ModelRegistry.Options(own.Model));
        var typo = Assert.Throws<ConfigException>(() => Podium.Runs.ConfigResolver.Resolve(Podium.Config.ConfigLoader.Parse(
            "data: {train: x}\nmodel: {name: convnext_atto, pretraind: x.pth}", "cfg.yaml"), "cfg.yaml"));
        Assert.Equal("cfg.yaml: model: unknown key 'pretraind' (did you mean 'pretrained'?)", typo.Message);
        // A run folder saved before the families had options (drop_path: 0 and an empty drop_rate under every model) still loads.
        var old = Podium.Config.ConfigLoader.Parse("data: {train: x}\nmodel:\n  name: resnet18\n  drop_path: 0\n  drop_rate: \n",
            "config.yaml");
        Assert.Equal(new TorchVisionModels.Options(), ModelRegistry.Options(old.Model));
    }

    [Fact]
    public void ModelOptionsFromConfigAndFromCSharpBuildTheSameNetwork()
    {
        using var _ = NewDisposeScope();
        var config = Podium.Runs.ConfigResolver.Resolve(Podium.Config.ConfigLoader.Parse(
            "data: {train: x, img_size: 32}\nmodel: {name: efficientnet_b0, drop_path: 0.2, drop_rate: 0.5}", "cfg.yaml"), "cfg.yaml");
        manual_seed(4);
        var fromConfig = Podium.Tasks.Classification.ClassificationModels.Create(config, 3);
        manual_seed(4);
        var fromCSharp = ModelRegistry.Create("efficientnet_b0", 3, options: new EfficientNet.Options { DropPath = 0.2, DropRate = 0.5 },
            imgSize: 32);
        var x = randn(4, 3, 32, 32);
        fromConfig.train(); fromCSharp.train();
        manual_seed(5);
        var a = fromConfig.forward(x);
        manual_seed(5);
        var b = fromCSharp.forward(x);
        Assert.True(a.equal(b).all().item<bool>());
        manual_seed(4); // the same weights and draws with the family's defaults give another output: the options reached the network
        var defaults = ModelRegistry.Create("efficientnet_b0", 3, imgSize: 32);
        defaults.train();
        manual_seed(5);
        Assert.False(defaults.forward(x).allclose(a));
        var wrong = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("resnet18", 3, options: new EfficientNet.Options()));
        Assert.StartsWith("resnet18 takes Podium.Models.TorchVisionModels+Options", wrong.Message);
        var bad = Assert.Throws<ConfigException>(() =>
            ModelRegistry.Create("convnext_atto", 3, options: new ConvNeXt.Options { DropPath = 1 }));
        Assert.Equal("model: drop_path must be in [0, 1), got 1", bad.Message);
    }

    [Fact]
    public void TruncatedNormalInitHasTheTruncatedDistribution()
    {
        // N(0, 0.02²) cut at ±2σ: mean 0, standard deviation 0.8796σ (TorchSharp's own trunc_normal_ fills a constant).
        using var _ = NewDisposeScope();
        manual_seed(4);
        var t = empty(200_000);
        Init.TruncatedNormal(t, 0.02);
        Assert.InRange(t.mean().item<float>(), -2e-4, 2e-4);
        Assert.InRange(t.std().item<float>(), 0.02 * 0.8796 * 0.99, 0.02 * 0.8796 * 1.01);
        Assert.True(t.abs().max().item<float>() <= 0.04f);
    }

    [Fact]
    public void DropPathDropsWholeSamplesOnlyInTraining()
    {
        using var _ = NewDisposeScope();
        manual_seed(2);
        var drop = new DropPath(0.3);
        var x = ones(4000, 3, 2, 2);
        var y = drop.forward(x);
        // Each sample is all zeros or all 1/(1-p); about 30% are dropped, and the mean is kept.
        var perSample = y.reshape(4000, -1);
        var kept = perSample.amax(1);
        Assert.True(perSample.amin(1).equal(kept).all().item<bool>());
        Assert.True(kept.eq(0).logical_or(kept.sub(1 / 0.7).abs().lt(1e-6)).all().item<bool>());
        Assert.InRange(kept.eq(0).to(ScalarType.Float32).mean().item<float>(), 0.27, 0.33);
        drop.eval();
        Assert.True(drop.forward(x).equal(x).all().item<bool>());
    }

    [Fact]
    public void PositionEmbeddingsResampleRowMajor()
    {
        using var _ = NewDisposeScope();
        // A 4x4 grid whose embedding is the row number: any other grid keeps rows constant and increasing.
        var rows = arange(4, dtype: ScalarType.Float32).repeat_interleave(4).reshape(1, 16, 1).expand(1, 16, 2);
        var stored = cat([full(1, 1, 2, -7f), rows], 1);
        var same = VisionTransformer.PositionEmbedding(stored, 4, 4);
        Assert.True(same.equal(stored).all().item<bool>());
        var resized = VisionTransformer.PositionEmbedding(stored, 6, 3);
        Assert.Equal([1L, 19L, 2L], resized.shape);
        Assert.Equal(-7f, resized[0, 0, 0].item<float>());
        var grid = resized[0].narrow(0, 1, 18).select(1, 0).reshape(6, 3);
        Assert.True(grid.sub(grid[.., 0..1]).abs().max().item<float>() < 1e-5);
        var firstColumn = grid.select(1, 0);
        Assert.True(firstColumn[1..].gt(firstColumn[..^1]).all().item<bool>());
    }
}
