using Podium.Platform;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

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

    /// <summary>The neck as ONNX nodes on the four maps <paramref name="c"/>; up-sampling to each map's size as read at run time,
    /// so a graph takes pages of any size.</summary>
    public string ToOnnx(Onnx.OnnxGraph g, string[] c)
    {
        var p = new string[4];
        p[3] = g.Module(lateral[3], c[3]);
        for (int i = 2; i >= 0; i--) p[i] = g.Node("Add", [g.Module(lateral[i], c[i]), g.NearestResize(p[i + 1], c[i])]);
        var levels = Enumerable.Range(0, 4).Select(i =>
        {
            var o = g.Module(output[i], p[i]);
            return i == 0 ? o : g.NearestResize(o, c[0]);
        }).Reverse().ToArray();
        return g.Node("Concat", levels, Onnx.OnnxGraph.Attr("axis", 1L));
    }

    public override Tensor forward(Tensor[] c)
    {
        var p = new Tensor[4];
        p[3] = lateral[3].forward(c[3]);
        for (int i = 2; i >= 0; i--)
            p[i] = lateral[i].forward(c[i]).Plus(functional.interpolate(p[i + 1], size: [c[i].shape[2], c[i].shape[3]],
                mode: InterpolationMode.Nearest));
        var size = new[] { c[0].shape[2], c[0].shape[3] };
        var levels = Enumerable.Range(0, 4).Select(i =>
        {
            var o = output[i].forward(p[i]);
            return i == 0 ? o : functional.interpolate(o, size: size, mode: InterpolationMode.Nearest);
        }).Reverse().ToArray(); // the official order: stride 32 first
        return cat(levels, 1);
    }
}
