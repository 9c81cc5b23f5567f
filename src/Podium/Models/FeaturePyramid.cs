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
            var blocks = children.Single(c => c.name == "features").module.named_children().Select(c => (c.name, (Module<Tensor,
                Tensor>)c.module)).ToList();
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

    /// <summary>The four maps as ONNX nodes on <paramref name="x"/>.</summary>
    public string[] ToOnnx(Onnx.OnnxGraph g, string x)
    {
        var outputs = new string[4];
        for (int i = 0; i < 4; i++) outputs[i] = x = g.Module(stages[i], x);
        return outputs;
    }

    public override Tensor[] forward(Tensor x)
    {
        var outputs = new Tensor[4];
        for (int i = 0; i < 4; i++) outputs[i] = x = stages[i].forward(x);
        return outputs;
    }
}
