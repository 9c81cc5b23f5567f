using Podium.Config;
using Podium.Platform;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// ConvNeXt (Liu et al. 2022) with timm's names (stem.0/1, stages.S.downsample.0/1,
/// stages.S.blocks.B.{conv_dw, norm, mlp.fc1, mlp.fc2, gamma}, head.norm, head.fc): a patchify stem,
/// 7x7 depthwise convolutions, LayerNorm, an inverted MLP with layer scale, stochastic depth.
/// atto and nano use timm's 1x1-conv MLP on NCHW maps (conv_mlp), tiny the channels-last linear one.
/// </summary>
public sealed class ConvNeXt : Module<Tensor, Tensor>, Onnx.IOnnxExportable
{
    /// <summary>model.name convnext_atto ... (<see cref="Variants"/>).</summary>
    public sealed record Options : OwnBackboneOptions, IComponentFamily
    {
        public static IReadOnlyCollection<string> Names => Variants.Keys;

        public override Module<Tensor, Tensor> Build(string name, int classes, int imgSize) =>
            new ConvNeXt(name, classes, DropPath, DropRate);

        public override long FeatureWidth(string name) => Variants[name].Dims[^1];
    }

    public static readonly Dictionary<string, (int[] Depths, int[] Dims, bool ConvMlp)> Variants = new()
    {
        ["convnext_atto"] = ([2, 2, 6, 2], [40, 80, 160, 320], true),
        ["convnext_nano"] = ([2, 2, 8, 2], [80, 160, 320, 640], true),
        ["convnext_tiny"] = ([3, 3, 9, 3], [96, 192, 384, 768], false),
    };

    private readonly Module<Tensor, Tensor> stem;
    private readonly Module<Tensor, Tensor> stages;
    private readonly Module<Tensor, Tensor> head;

    public long FeatureWidth { get; }

    public ConvNeXt(string variant, int numClasses, double dropPath, double? dropRate) : base(nameof(ConvNeXt))
    {
        var (depths, dims, convMlp) = Variants[variant];
        stem = Sequential(Conv2d(3, dims[0], 4, stride: 4), new LayerNorm2d(dims[0]));
        int total = depths.Sum(), index = 0;
        var list = new List<Module<Tensor, Tensor>>();
        for (int s = 0; s < depths.Length; s++)
        {
            var blocks = new List<Module<Tensor, Tensor>>();
            for (int b = 0; b < depths[s]; b++)
                blocks.Add(new Block(dims[s], convMlp, DropPath.Linspace(dropPath, index++, total)));
            list.Add(new Stage(s == 0 ? null : Sequential(new LayerNorm2d(dims[s - 1]), Conv2d(dims[s - 1], dims[s], 2, stride: 2)),
                Sequential(blocks)));
        }
        stages = Sequential(list);
        FeatureWidth = dims[^1];
        head = new NormPoolHead(FeatureWidth, numClasses, dropRate ?? 0);
        RegisterComponents();
        Init.TruncatedNormal(this);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return head.forward(stages.forward(stem.forward(x))).MoveToOuterDisposeScope();
    }

    public string ToOnnx(Onnx.OnnxGraph g, string x) => g.Module(head, g.Module(stages, g.Module(stem, x)));

    private sealed class Stage : Module<Tensor, Tensor>, Onnx.IOnnxExportable
    {
        private readonly Module<Tensor, Tensor> downsample;
        private readonly Module<Tensor, Tensor> blocks;

        public Stage(Module<Tensor, Tensor>? downsample, Module<Tensor, Tensor> blocks) : base(nameof(Stage))
        {
            this.downsample = downsample ?? Identity();
            this.blocks = blocks;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return blocks.forward(downsample.forward(x)).MoveToOuterDisposeScope();
        }

        public string ToOnnx(Onnx.OnnxGraph g, string x) => g.Module(blocks, g.Module(downsample, x));
    }

    /// <summary>x + drop_path(γ · MLP(norm(dwconv7x7(x)))), γ initialised to 1e-6 (layer scale).</summary>
    private sealed class Block : Module<Tensor, Tensor>, Onnx.IOnnxExportable
    {
        private readonly Module<Tensor, Tensor> conv_dw;
        private readonly Module<Tensor, Tensor> norm;
        private readonly Module<Tensor, Tensor> mlp;
        private readonly TorchSharp.Modules.Parameter gamma;
        private readonly Module<Tensor, Tensor> drop_path;
        private readonly bool _convMlp;

        public Block(long dim, bool convMlp, double dropPath) : base(nameof(Block))
        {
            conv_dw = Conv2d(dim, dim, 7, padding: 3, groups: dim);
            norm = convMlp ? new LayerNorm2d(dim) : LayerNorm(dim, eps: 1e-6);
            mlp = new Mlp(dim, 4 * dim, convolutional: convMlp);
            using var scale = 1e-6.ToScalar();
            gamma = Parameter(full(dim, scale));
            drop_path = new DropPath(dropPath);
            _convMlp = convMlp;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = conv_dw.forward(x);
            y = _convMlp
                ? mlp.forward(norm.forward(y)) * gamma.view(1, -1, 1, 1)
                : (mlp.forward(norm.forward(y.permute(0, 2, 3, 1))) * gamma).permute(0, 3, 1, 2);
            return drop_path.forward(y).Plus(x).MoveToOuterDisposeScope();
        }

        public string ToOnnx(Onnx.OnnxGraph g, string x)
        {
            var y = g.Module(conv_dw, x);
            if (_convMlp) y = g.Node("Mul", [g.Module(mlp, g.Module(norm, y)), g.Weight(gamma.view(1, -1, 1, 1))]);
            else y = g.ChannelsFirst(g.Node("Mul", [g.Module(mlp, g.Module(norm, g.ChannelsLast(y))), g.Weight(gamma)]));
            return g.Node("Add", [y, x]);
        }
    }
}
