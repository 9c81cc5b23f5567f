using Podium.Platform;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// A recogniser in the style of SVTR-Tiny (Du et al., "SVTR: Scene Text Recognition with a Single Visual Model", 2022): no
/// recurrence, only mixing blocks over the line's feature map. A stem of two stride-2 convolutions makes H/4 x W/4 patches of
/// <c>dim</c> channels; three stages of blocks (each a depthwise 3x3 convolution for local mixing, as PP-OCR's SVTR-LCNet mixes
/// locally, then a pre-norm transformer block for global mixing over every patch) widen to 2·dim and 4·dim, a stride-(2, 1)
/// convolution halving the height between stages; the height is averaged away and a linear layer gives one CTC step per 4 px.
/// </summary>
public sealed class SvtrTiny : Module<Tensor, Tensor>
{
    /// <summary>svtr_tiny: mixing blocks in three stages of (depth, 2·depth, depth) blocks.</summary>
    [Config.Component("svtr_tiny")]
    public sealed record Options : RecogniserOptions
    {
        /// <summary>Channels of the first stage (then twice and four times as many).</summary>
        [Config.Positive] public int Dim { get; init; } = 64;
        /// <summary>Blocks of the first and last stages; the middle one has twice as many.</summary>
        [Config.Positive] public int Depth { get; init; } = 3;
        /// <summary>Attention heads of the first stage (doubling with the width).</summary>
        [Config.Positive] public int Heads { get; init; } = 2;

        public override int Stride => 4;

        public override Module<Tensor, Tensor> Build(int classes, int inChannels, int height) =>
            new SvtrTiny(classes, inChannels, Dim, Depth, Heads);
    }

    private readonly Sequential stem;
    private readonly ModuleList<Module<Tensor, Tensor>> stages;
    private readonly ModuleList<Module<Tensor, Tensor>> merges;
    private readonly LayerNorm norm;
    private readonly Linear fc;

    public SvtrTiny(int classes, int inChannels = 3, int dim = 64, int depth = 3, int heads = 2) : base(nameof(SvtrTiny))
    {
        stem = Sequential(ConvBn(inChannels, dim / 2, 3, (2, 2)), GELU(), ConvBn(dim / 2, dim, 3, (2, 2)), GELU());
        int[] widths = [dim, 2 * dim, 4 * dim];
        int[] depths = [depth, 2 * depth, depth];
        stages = new ModuleList<Module<Tensor, Tensor>>([.. Enumerable.Range(0, 3).Select(s => (Module<Tensor, Tensor>)Sequential(
            Enumerable.Range(0, depths[s]).Select(_ => (Module<Tensor, Tensor>)new MixingBlock(widths[s], heads << s)).ToArray()))]);
        merges = new ModuleList<Module<Tensor, Tensor>>([.. Enumerable.Range(0, 2).Select(s =>
            (Module<Tensor, Tensor>)ConvBn(widths[s], widths[s + 1], 3, (2, 1)))]);
        norm = LayerNorm(4 * dim, eps: 1e-6);
        fc = Linear(4 * dim, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = stem.call(x);
        for (int s = 0; s < 3; s++)
        {
            y = stages[s].call(y);
            if (s < 2) y = merges[s].call(y);
        }
        var columns = y.mean([2]).permute(0, 2, 1); // [N, W/4, 4·dim]
        return fc.call(norm.call(columns)).MoveToOuterDisposeScope();
    }

    private static Sequential ConvBn(int input, int output, int kernel, (long, long) stride) =>
        Sequential(Conv2d(input, output, (kernel, kernel), stride: stride, padding: (kernel / 2, kernel / 2), bias: false),
            BatchNorm.BatchNorm2d(output));

    /// <summary>Local mixing (a residual depthwise convolution on the map), then global mixing (a transformer block over every
    /// position).</summary>
    private sealed class MixingBlock : Module<Tensor, Tensor>
    {
        private readonly Sequential local;
        private readonly TransformerBlock global;

        public MixingBlock(int dim, int heads) : base(nameof(MixingBlock))
        {
            local = Sequential(Conv2d(dim, dim, 3, padding: 1, groups: dim, bias: false), BatchNorm.BatchNorm2d(dim));
            global = new TransformerBlock(dim, heads, 0);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = x.Plus(local.call(x));
            var (n, c, h, w) = (y.shape[0], y.shape[1], y.shape[2], y.shape[3]);
            var tokens = global.call(y.flatten(2).transpose(1, 2)); // [N, H·W, C]
            return tokens.transpose(1, 2).reshape(n, c, h, w).MoveToOuterDisposeScope();
        }
    }
}
