using Podium.Config;
using Podium.Platform;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// EfficientNet B0–B3 (Tan and Le 2019) with timm's module names (conv_stem, bn1, blocks.S.B.*,
/// conv_head, bn2, classifier): MBConv blocks with squeeze-excitation and SiLU, widths and depths
/// scaled by the compound coefficients, stochastic depth growing linearly over the blocks.
/// </summary>
public sealed class EfficientNet : Module<Tensor, Tensor>, Onnx.IOnnxExportable
{
    /// <summary>model.name efficientnet_b0 ... _b3 (<see cref="Variants"/>).</summary>
    public sealed record Options : OwnBackboneOptions, IComponentFamily
    {
        public static IReadOnlyCollection<string> Names => Variants.Keys;

        public override Module<Tensor, Tensor> Build(string name, int classes, int imgSize) =>
            new EfficientNet(name, classes, DropPath, DropRate);

        public override long FeatureWidth(string name) => RoundChannels(1280, Variants[name].Width);

        public override string Classifier(string name) => "classifier";
    }

    // The B0 stages: block kind, repeats, kernel, stride, expansion, output channels.
    private static readonly (bool Ds, int Repeats, int Kernel, int Stride, int Expand, int Channels)[] Stages =
    [
        (true, 1, 3, 1, 1, 16), (false, 2, 3, 2, 6, 24), (false, 2, 5, 2, 6, 40), (false, 3, 3, 2, 6, 80),
        (false, 3, 5, 1, 6, 112), (false, 4, 5, 2, 6, 192), (false, 1, 3, 1, 6, 320),
    ];

    /// <summary>Width and depth multipliers and classifier dropout of each variant (the paper's, as torchvision and timm use
    /// them).</summary>
    public static readonly Dictionary<string, (double Width, double Depth, double Dropout)> Variants = new()
    {
        ["efficientnet_b0"] = (1.0, 1.0, 0.2),
        ["efficientnet_b1"] = (1.0, 1.1, 0.2),
        ["efficientnet_b2"] = (1.1, 1.2, 0.3),
        ["efficientnet_b3"] = (1.2, 1.4, 0.3),
    };

    private readonly Module<Tensor, Tensor> conv_stem;
    private readonly Module<Tensor, Tensor> bn1;
    private readonly Module<Tensor, Tensor> blocks;
    private readonly Module<Tensor, Tensor> conv_head;
    private readonly Module<Tensor, Tensor> bn2;
    private readonly Module<Tensor, Tensor> drop;
    private readonly Module<Tensor, Tensor> classifier;

    public long FeatureWidth { get; }

    public EfficientNet(string variant, int numClasses, double dropPath, double? dropRate) : base(nameof(EfficientNet))
    {
        var (width, depth, dropout) = Variants[variant];
        long stem = RoundChannels(32, width);
        conv_stem = Conv2d(3, stem, 3, stride: 2, padding: 1, bias: false);
        bn1 = BatchNorm.BatchNorm2d(stem);
        int total = Stages.Sum(s => (int)Math.Ceiling(s.Repeats * depth)), index = 0;
        var stages = new List<Module<Tensor, Tensor>>();
        long inChannels = stem;
        foreach (var s in Stages)
        {
            long outChannels = RoundChannels(s.Channels, width);
            var stage = new List<Module<Tensor, Tensor>>();
            for (int b = 0, n = (int)Math.Ceiling(s.Repeats * depth); b < n; b++, index++)
            {
                double drop = dropPath * index / total; // timm's and torchvision's rule: block i of n at rate·i/n
                int stride = b == 0 ? s.Stride : 1;
                stage.Add(s.Ds
                    ? new DepthwiseSeparable(inChannels, outChannels, s.Kernel, stride, drop)
                    : new InvertedResidual(inChannels, outChannels, s.Kernel, stride, s.Expand, drop));
                inChannels = outChannels;
            }
            stages.Add(Sequential(stage));
        }
        blocks = Sequential(stages);
        FeatureWidth = RoundChannels(1280, width);
        conv_head = Conv2d(inChannels, FeatureWidth, 1, bias: false);
        bn2 = BatchNorm.BatchNorm2d(FeatureWidth);
        drop = Dropout(dropRate ?? dropout);
        classifier = numClasses > 0 ? Linear(FeatureWidth, numClasses) : Identity();
        RegisterComponents();
        Init.FanOut(this);
    }

    /// <summary>Channels scaled by the width multiplier, rounded to a multiple of 8 and never more than 10% down
    /// (make_divisible).</summary>
    public static long RoundChannels(int channels, double multiplier)
    {
        double v = channels * multiplier;
        long rounded = Math.Max(8, (long)(v + 4) / 8 * 8);
        return rounded < 0.9 * v ? rounded + 8 : rounded;
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.silu(bn1.forward(conv_stem.forward(x)));
        y = functional.silu(bn2.forward(conv_head.forward(blocks.forward(y))));
        return classifier.forward(drop.forward(y.mean([2L, 3L]))).MoveToOuterDisposeScope();
    }

    public string ToOnnx(Onnx.OnnxGraph g, string x)
    {
        var y = g.Silu(g.Module(bn1, g.Module(conv_stem, x)));
        y = g.Silu(g.Module(bn2, g.Module(conv_head, g.Module(blocks, y))));
        return g.Module(classifier, g.SpatialMean(y, keep: false));
    }

    /// <summary>Depthwise conv, SE, pointwise projection (the first stage, expansion 1).</summary>
    private sealed class DepthwiseSeparable : Module<Tensor, Tensor>, Onnx.IOnnxExportable
    {
        private readonly Module<Tensor, Tensor> conv_dw;
        private readonly Module<Tensor, Tensor> bn1;
        private readonly Module<Tensor, Tensor> se;
        private readonly Module<Tensor, Tensor> conv_pw;
        private readonly Module<Tensor, Tensor> bn2;
        private readonly Module<Tensor, Tensor> drop_path;
        private readonly bool _residual;

        public DepthwiseSeparable(long inC, long outC, int kernel, int stride, double dropPath) : base(nameof(DepthwiseSeparable))
        {
            conv_dw = Conv2d(inC, inC, kernel, stride: stride, padding: kernel / 2, groups: inC, bias: false);
            bn1 = BatchNorm.BatchNorm2d(inC);
            se = new SqueezeExcite(inC, Math.Max(1, inC / 4), SiLU());
            conv_pw = Conv2d(inC, outC, 1, bias: false);
            bn2 = BatchNorm.BatchNorm2d(outC);
            drop_path = new DropPath(dropPath);
            _residual = stride == 1 && inC == outC;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = bn2.forward(conv_pw.forward(se.forward(functional.silu(bn1.forward(conv_dw.forward(x))))));
            return (_residual ? drop_path.forward(y).Plus(x) : y).MoveToOuterDisposeScope();
        }

        public string ToOnnx(Onnx.OnnxGraph g, string x)
        {
            var y = g.Module(bn2, g.Module(conv_pw, g.Module(se, g.Silu(g.Module(bn1, g.Module(conv_dw, x))))));
            return _residual ? g.Node("Add", [y, x]) : y;
        }
    }

    /// <summary>MBConv: pointwise expansion, depthwise conv, SE (reduced from the block's input width), linear projection.</summary>
    private sealed class InvertedResidual : Module<Tensor, Tensor>, Onnx.IOnnxExportable
    {
        private readonly Module<Tensor, Tensor> conv_pw;
        private readonly Module<Tensor, Tensor> bn1;
        private readonly Module<Tensor, Tensor> conv_dw;
        private readonly Module<Tensor, Tensor> bn2;
        private readonly Module<Tensor, Tensor> se;
        private readonly Module<Tensor, Tensor> conv_pwl;
        private readonly Module<Tensor, Tensor> bn3;
        private readonly Module<Tensor, Tensor> drop_path;
        private readonly bool _residual;

        public InvertedResidual(long inC, long outC, int kernel, int stride, int expand, double dropPath) : base(nameof(InvertedResidual))
        {
            long mid = inC * expand;
            conv_pw = Conv2d(inC, mid, 1, bias: false);
            bn1 = BatchNorm.BatchNorm2d(mid);
            conv_dw = Conv2d(mid, mid, kernel, stride: stride, padding: kernel / 2, groups: mid, bias: false);
            bn2 = BatchNorm.BatchNorm2d(mid);
            se = new SqueezeExcite(mid, Math.Max(1, inC / 4), SiLU());
            conv_pwl = Conv2d(mid, outC, 1, bias: false);
            bn3 = BatchNorm.BatchNorm2d(outC);
            drop_path = new DropPath(dropPath);
            _residual = stride == 1 && inC == outC;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = functional.silu(bn1.forward(conv_pw.forward(x)));
            y = se.forward(functional.silu(bn2.forward(conv_dw.forward(y))));
            y = bn3.forward(conv_pwl.forward(y));
            return (_residual ? drop_path.forward(y).Plus(x) : y).MoveToOuterDisposeScope();
        }

        public string ToOnnx(Onnx.OnnxGraph g, string x)
        {
            var y = g.Silu(g.Module(bn1, g.Module(conv_pw, x)));
            y = g.Module(se, g.Silu(g.Module(bn2, g.Module(conv_dw, y))));
            y = g.Module(bn3, g.Module(conv_pwl, y));
            return _residual ? g.Node("Add", [y, x]) : y;
        }
    }
}
