using Onnx;
using static TorchSharp.torch;

namespace Podium.Models.Onnx;

/// <summary>
/// Recognises an imported graph as a ResNet of basic blocks (stem conv-bn-relu-maxpool, blocks of two conv-bn with a shortcut
/// that is the input or a strided 1x1 conv-bn, then pooling) by following its data flow, not its node names, and names its
/// weights as TorchVision's ResNet does (conv1, bn1, layerS.B.conv1 ... downsample.0/1, fc), so the graph loads into Podium's
/// registry model of the same block counts and heads, the features mode and freezing work as for any ResNet.
/// </summary>
public static class OnnxResNet
{
    /// <summary>The weights under TorchVision's names and the blocks per stage ([2, 2, 2, 2] is resnet18); null when the graph is
    /// not a ResNet of basic blocks.</summary>
    public static (Dictionary<string, Tensor> StateDict, int[] Blocks)? Map(OnnxNetwork network)
    {
        var nodes = network.Nodes;
        var producer = network.Producers;
        NodeProto? From(string value, string op) => producer.TryGetValue(value, out var n) && n.OpType == op ? n : null;
        var weights = network.Weights;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        void Conv(string name, NodeProto conv)
        {
            result[name + ".weight"] = weights[conv.Input[1]];
            if (conv.Input.Count > 2 && conv.Input[2].Length > 0) result[name + ".bias"] = weights[conv.Input[2]];
        }
        void Norm(string name, NodeProto bn)
        {
            string[] keys = ["weight", "bias", "running_mean", "running_var"];
            for (int k = 0; k < 4; k++) result[$"{name}.{keys[k]}"] = weights[bn.Input[k + 1]];
        }
        // conv → bn, the pair a branch is made of.
        (NodeProto Conv, NodeProto Norm)? Pair(string value) =>
            From(value, "BatchNormalization") is { } bn && From(bn.Input[0], "Conv") is { } c && weights.ContainsKey(c.Input[1])
                ? (c, bn) : null;

        var stem = nodes.FirstOrDefault(n => n.OpType == "Conv");
        if (stem is null || stem.Input[0] != network.InputName) return null;
        var stemNorm = nodes.FirstOrDefault(n => n.OpType == "BatchNormalization" && n.Input[0] == stem.Output[0]);
        if (stemNorm is null) return null;
        Conv("conv1", stem);
        Norm("bn1", stemNorm);

        var blocks = new List<int> { 0 };
        foreach (var add in nodes.Where(n => n.OpType == "Add"))
        {
            if (add.Input.Count != 2) return null;
            // The main branch: conv-bn-relu-conv-bn; the other input is the shortcut.
            int main = -1;
            (NodeProto, NodeProto, NodeProto, NodeProto)? branch = null;
            for (int k = 0; k < 2 && branch is null; k++)
                if (Pair(add.Input[k]) is { } second && From(second.Conv.Input[0], "Relu") is { } relu && Pair(relu.Input[0]) is { } first)
                    (main, branch) = (k, (first.Conv, first.Norm, second.Conv, second.Norm));
            if (branch is not { } b) return null;
            var shortcut = add.Input[1 - main];
            var downsample = Pair(shortcut);
            var blockInput = downsample?.Conv.Input[0] ?? shortcut;
            if (b.Item1.Input[0] != blockInput) return null; // not a residual block around the two convs
            if (downsample is not null && blocks[^1] > 0) blocks.Add(0);
            var name = $"layer{blocks.Count}.{blocks[^1]}";
            Conv(name + ".conv1", b.Item1);
            Norm(name + ".bn1", b.Item2);
            Conv(name + ".conv2", b.Item3);
            Norm(name + ".bn2", b.Item4);
            if (downsample is { } d)
            {
                Conv(name + ".downsample.0", d.Conv);
                Norm(name + ".downsample.1", d.Norm);
            }
            blocks[^1]++;
        }
        if (blocks.Count != 4) return null;
        // A classifier after the pooling: Gemm (weight [out, in] with transB) or MatMul ([in, out]).
        if (nodes.LastOrDefault(n => n.OpType is "Gemm" or "MatMul") is { } fc && weights.TryGetValue(fc.Input[1], out var w))
        {
            bool transposed = fc.OpType == "Gemm" && fc.Attribute.Any(a => a.Name == "transB" && a.I == 1);
            result["fc.weight"] = transposed ? w : w.t();
            if (fc.Input.Count > 2 && weights.TryGetValue(fc.Input[2], out var bias)) result["fc.bias"] = bias.flatten();
        }
        return (result, [.. blocks]);
    }
}
