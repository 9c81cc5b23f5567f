using Podium.Platform;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// A backbone's feature maps at strides 4, 8, 16 and 32 (C2..C5), for dense heads. ResNets are cut after each
/// layer; MobileNetV3's feature blocks are grouped by the stride they end at (found once with a probe image).
/// The child names are TorchVision's, so its ImageNet weights load under the prefix "backbone.".
/// </summary>
public sealed class FeaturePyramid : Module<Tensor, Tensor[]>
{
    private readonly TorchSharp.Modules.ModuleList<Module<Tensor, Tensor>> stages = new();

    /// <summary>Channels of C2..C5.</summary>
    public long[] Channels { get; }

    public static readonly string[] Backbones = ["resnet18", "resnet34", "resnet50", "mobilenet_v3_large", "mobilenet_v3_small"];

    public FeaturePyramid(string name) : base(nameof(FeaturePyramid))
    {
        if (!Backbones.Contains(name))
            throw new PodiumException($"model.backbone: '{name}' is not a detection backbone ({string.Join(", ", Backbones)})");
        var features = ModelRegistry.Features(name);
        var children = features.named_children().Where(c => c.name is not ("avgpool" or "flatten")).ToList();
        if (name.StartsWith("resnet", StringComparison.Ordinal))
        {
            // conv1, bn1, relu, maxpool | layer1 | layer2 | layer3 | layer4
            var stem = Sequential(children.Take(4).Select(c => (c.name, (Module<Tensor, Tensor>)c.module)).ToArray());
            stages.Add(Sequential(("stem", stem), ("layer1", (Module<Tensor, Tensor>)children[4].module)));
            for (int k = 5; k < 8; k++) stages.Add(Sequential((children[k].name, (Module<Tensor, Tensor>)children[k].module)));
        }
        else
        {
            // MobileNetV3: the blocks of "features", grouped so that each group ends where the next stride begins.
            var blocks = children.Single(c => c.name == "features").module.named_children().Select(c => (c.name, (Module<Tensor, Tensor>)c.module)).ToList();
            var ends = StrideEnds(blocks.Select(b => b.Item2).ToList());
            int start = 0;
            foreach (var end in ends)
            {
                stages.Add(Sequential(blocks.Skip(start).Take(end - start + 1).ToArray()));
                start = end + 1;
            }
        }
        RegisterComponents();
        using (NewDisposeScope())
        using (no_grad())
        {
            eval(); // a probe must not move BN's running statistics
            Channels = forward(zeros(1, 3, 64, 64)).Select(t => t.shape[1]).ToArray();
            train();
        }
    }

    /// <summary>Index of the last block at strides 4, 8, 16 and 32 (the tail after the last down-sampling joins stride 32).</summary>
    private static int[] StrideEnds(IReadOnlyList<Module<Tensor, Tensor>> blocks)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var b in blocks) b.eval();
        var x = zeros(1, 3, 64, 64);
        var strides = new int[blocks.Count];
        for (int i = 0; i < blocks.Count; i++)
        {
            x = blocks[i].forward(x);
            strides[i] = (int)(64 / x.shape[2]);
        }
        foreach (var b in blocks) b.train();
        return new[] { 4, 8, 16 }.Select(s => Array.LastIndexOf(strides, s)).Append(blocks.Count - 1).ToArray();
    }

    public override Tensor[] forward(Tensor x)
    {
        var outputs = new Tensor[4];
        for (int i = 0; i < 4; i++) outputs[i] = x = stages[i].forward(x);
        return outputs;
    }
}

/// <summary>DBNet's neck kinds: the paper's FPN, or a U-Net-style decoder with stronger skip connections.</summary>
public static class DbNecks
{
    public static readonly string[] Names = ["fpn", "unet"];

    public static Module<Tensor[], Tensor> Create(string name, long[] channels, int inner = 256) => name switch
    {
        "fpn" => new DbFpn(channels, inner),
        "unet" => new DbUnetDecoder(channels, inner),
        _ => throw new PodiumException($"model.neck: unknown '{name}' ({string.Join(", ", Names)})"),
    };

    internal static Module<Tensor, Tensor> ConvBnRelu(long input, long output, int kernel = 3) =>
        Sequential(Conv2d(input, output, kernel, padding: kernel / 2, bias: false), BatchNorm.BatchNorm2d(output), ReLU(inplace: true));
}

/// <summary>
/// DBNet's FPN (the official SegDetector): 1x1 laterals to <c>inner</c> channels, top-down nearest up-sampling and
/// addition, a 3x3 conv of each level to inner/4 channels, all up-sampled to stride 4 and concatenated (inner channels).
/// Unlike the official neck, each level's 3x3 conv is followed by BN and ReLU: without an ImageNet-trained backbone
/// the summed laterals reach variances of 1e5 early in training, and the head's BN running statistics then lag
/// so far behind that evaluation-mode maps came out flat (seen on SROIE after one epoch).
/// </summary>
public sealed class DbFpn : Module<Tensor[], Tensor>
{
    private readonly TorchSharp.Modules.ModuleList<Module<Tensor, Tensor>> lateral = new();
    private readonly TorchSharp.Modules.ModuleList<Module<Tensor, Tensor>> output = new();

    public DbFpn(long[] channels, int inner) : base(nameof(DbFpn))
    {
        foreach (var c in channels) lateral.Add(Conv2d(c, inner, 1, bias: false));
        foreach (var _ in channels) output.Add(DbNecks.ConvBnRelu(inner, inner / 4));
        RegisterComponents();
    }

    public override Tensor forward(Tensor[] c)
    {
        var p = new Tensor[4];
        p[3] = lateral[3].forward(c[3]);
        for (int i = 2; i >= 0; i--)
            p[i] = lateral[i].forward(c[i]).Plus(functional.interpolate(p[i + 1], size: [c[i].shape[2], c[i].shape[3]], mode: InterpolationMode.Nearest));
        var size = new[] { c[0].shape[2], c[0].shape[3] };
        var levels = Enumerable.Range(0, 4).Select(i =>
        {
            var o = output[i].forward(p[i]);
            return i == 0 ? o : functional.interpolate(o, size: size, mode: InterpolationMode.Nearest);
        }).Reverse().ToArray(); // the official order: stride 32 first
        return cat(levels, 1);
    }
}

/// <summary>
/// A U-Net-style decoder: each level is up-sampled, concatenated with the next finer backbone level (not added),
/// and mixed by two 3x3 conv-BN-ReLU, down to stride 4; the richer skips help thin, dense text lines.
/// </summary>
public sealed class DbUnetDecoder : Module<Tensor[], Tensor>
{
    private readonly TorchSharp.Modules.ModuleList<Module<Tensor, Tensor>> blocks = new();
    private readonly Module<Tensor, Tensor> top;

    public DbUnetDecoder(long[] channels, int inner) : base(nameof(DbUnetDecoder))
    {
        long[] widths = [inner, inner / 2, inner / 2, inner / 2]; // per level, stride 4 first
        top = DbNecks.ConvBnRelu(channels[3], widths[3], 1);
        for (int i = 2; i >= 0; i--)
            blocks.Add(Sequential(DbNecks.ConvBnRelu(widths[i + 1] + channels[i], widths[i]), DbNecks.ConvBnRelu(widths[i], widths[i])));
        RegisterComponents();
    }

    public override Tensor forward(Tensor[] c)
    {
        var x = top.forward(c[3]);
        for (int k = 0, i = 2; i >= 0; k++, i--)
        {
            x = functional.interpolate(x, size: [c[i].shape[2], c[i].shape[3]], mode: InterpolationMode.Nearest);
            x = blocks[k].forward(cat([x, c[i]], 1));
        }
        return x;
    }
}

/// <summary>
/// DBNet (Liao et al. 2020): backbone pyramid → neck → two heads that up-sample stride 4 back to the input size, a
/// probability map P and a threshold map T, and the approximate binary map B = 1 / (1 + e^(−k(P − T))), k = 50.
/// Training returns [P, T, B] as channels; evaluation returns P alone (the threshold branch is not run).
/// </summary>
public sealed class DbNet : Module<Tensor, Tensor>
{
    private readonly FeaturePyramid backbone;
    private readonly Module<Tensor[], Tensor> neck;
    private readonly Module<Tensor, Tensor> binarize;
    private readonly Module<Tensor, Tensor> thresh;
    private readonly double _k;

    /// <summary>The DBNet a text-detection config describes: model.name the backbone, ocr.neck and ocr.inner the neck, ocr.bn_momentum every batch norm's.</summary>
    public static DbNet FromConfig(Config.PodiumConfig c) =>
        new(c.Model.Name, c.Ocr?.Neck ?? "fpn", c.Ocr?.Inner ?? 256, bnMomentum: c.Ocr?.BnMomentum ?? 0.1);

    /// <param name="bnMomentum">Every BatchNorm's running-statistics momentum. TorchVision's MobileNetV3 uses 0.01, made
    /// for long ImageNet runs: after a few hundred steps from scratch its running statistics are still mostly their
    /// initial values and evaluation-mode maps come out flat; 0.1 (PyTorch's default) follows the weights.</param>
    public DbNet(string backboneName = "resnet18", string neckName = "fpn", int inner = 256, double k = 50, double bnMomentum = 0.1) : base(nameof(DbNet))
    {
        backbone = new FeaturePyramid(backboneName);
        neck = DbNecks.Create(neckName, backbone.Channels, inner);
        binarize = Head(inner);
        thresh = Head(inner);
        _k = k;
        RegisterComponents();
        // The official initialisation: Kaiming for convs, BN weight 1 and bias 1e-4, for the new (non-backbone) parts.
        using var biasValue = 1e-4.ToScalar();
        foreach (var m in new Module[] { neck, binarize, thresh }.SelectMany(m => m.modules()))
        {
            if (m is TorchSharp.Modules.Conv2d conv) init.kaiming_normal_(conv.weight);
            if (m is TorchSharp.Modules.BatchNorm bn) { init.ones_(bn.weight); init.constant_(bn.bias, biasValue); }
        }
        foreach (var bn in modules().OfType<TorchSharp.Modules.BatchNorm>()) bn.momentum = bnMomentum;
    }

    /// <summary>conv3x3 → BN → ReLU → deconv x2 → BN → ReLU → deconv x2 → sigmoid: a stride-4 map back at full size.</summary>
    private static Module<Tensor, Tensor> Head(int inner) => Sequential(
        Conv2d(inner, inner / 4, 3, padding: 1, bias: false), BatchNorm.BatchNorm2d(inner / 4), ReLU(inplace: true),
        ConvTranspose2d(inner / 4, inner / 4, 2, stride: 2), BatchNorm.BatchNorm2d(inner / 4), ReLU(inplace: true),
        ConvTranspose2d(inner / 4, 1, 2, stride: 2), Sigmoid());

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var features = neck.forward(backbone.forward(x));
        var p = binarize.forward(features);
        if (!training) return p.MoveToOuterDisposeScope();
        var t = thresh.forward(features);
        var b = reciprocal(exp((p - t).Times(-_k)).Plus(1));
        return cat([p, t, b], 1).MoveToOuterDisposeScope();
    }
}
