using Podium.Config;
using Podium.Platform;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// CoAtNet-0 (Dai et al. 2021), the convolution-then-attention hybrid: a two-conv stem (S0), pre-norm
/// MBConv stages S1–S2 (2 and 3 blocks, widths 96 and 192) whose depthwise convolutions bring the
/// translation-equivariant prior, then transformer stages S3–S4 (5 and 2 blocks, widths 384 and 768)
/// with relative-position attention for global context. Each stage halves the resolution in its first
/// block; 224 px inputs reach 7x7. Pool, LayerNorm and linear classify (head.norm, head.fc).
/// </summary>
public sealed class CoAtNet : Module<Tensor, Tensor>
{
    /// <summary>model.name coatnet_0.</summary>
    [Component("coatnet_0")]
    public sealed record Options : OwnBackboneOptions
    {
        public override Module<Tensor, Tensor> Build(string name, int classes, int imgSize) =>
            new CoAtNet(classes, imgSize, DropPath, DropRate);

        public override long FeatureWidth(string name) => Widths[^1];
    }

    private static readonly int[] Depths = [2, 3, 5, 2];
    private static readonly int[] Widths = [96, 192, 384, 768];
    private const int StemWidth = 64, HeadDim = 32;

    private readonly Module<Tensor, Tensor> stem;
    private readonly Module<Tensor, Tensor> stages;
    private readonly Module<Tensor, Tensor> head;

    public long FeatureWidth => Widths[^1];

    public CoAtNet(int numClasses, int imgSize, double dropPath, double? dropRate) : base(nameof(CoAtNet))
    {
        stem = Sequential(
            ("conv1", Conv2d(3, StemWidth, 3, stride: 2, padding: 1, bias: false)), ("norm1", BatchNorm.BatchNorm2d(StemWidth)), ("act1",
                GELU()),
            ("conv2", Conv2d(StemWidth, StemWidth, 3, padding: 1)));
        int total = Depths.Sum(), index = 0;
        long inC = StemWidth;
        int size = (imgSize + 1) / 2; // after the stem
        var list = new List<Module<Tensor, Tensor>>();
        for (int s = 0; s < Depths.Length; s++)
        {
            size = (size + 1) / 2;
            var blocks = new List<Module<Tensor, Tensor>>();
            for (int b = 0; b < Depths[s]; b++, index++)
            {
                double drop = DropPath.Linspace(dropPath, index, total);
                blocks.Add(s < 2
                    ? new MbConvBlock(inC, Widths[s], b == 0, drop)
                    : new RelAttentionBlock(inC, Widths[s], Widths[s] / HeadDim, b == 0, size, drop));
                inC = Widths[s];
            }
            list.Add(Sequential(("blocks", (Module<Tensor, Tensor>)Sequential(blocks))));
        }
        stages = Sequential(list);
        head = new NormPoolHead(FeatureWidth, numClasses, dropRate ?? 0);
        RegisterComponents();
        Init.TruncatedNormal(this);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return head.forward(stages.forward(stem.forward(x))).MoveToOuterDisposeScope();
    }

    /// <summary>Halves H and W, rounding up (odd sizes keep their last row and column).</summary>
    private static Tensor Pool(Tensor x) => functional.avg_pool2d(x, 2, 2, ceil_mode: true);

    /// <summary>
    /// Pre-activation MBConv (expansion 4, SE 0.25): x + drop_path(conv1x1(SE(dwconv3x3(conv1x1(BN(x)))))).
    /// The first block of a stage strides its depthwise conv; its shortcut is pool then a 1x1 projection.
    /// </summary>
    private sealed class MbConvBlock : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> shortcut;
        private readonly Module<Tensor, Tensor> pre_norm;
        private readonly Module<Tensor, Tensor> conv1_1x1;
        private readonly Module<Tensor, Tensor> norm1;
        private readonly Module<Tensor, Tensor> conv2_kxk;
        private readonly Module<Tensor, Tensor> norm2;
        private readonly Module<Tensor, Tensor> se;
        private readonly Module<Tensor, Tensor> conv3_1x1;
        private readonly Module<Tensor, Tensor> drop_path;
        private readonly bool _downsample;

        public MbConvBlock(long inC, long outC, bool downsample, double dropPath) : base(nameof(MbConvBlock))
        {
            long mid = 4 * outC;
            shortcut = downsample || inC != outC ? Conv2d(inC, outC, 1) : Identity();
            pre_norm = BatchNorm.BatchNorm2d(inC);
            conv1_1x1 = Conv2d(inC, mid, 1, bias: false);
            norm1 = BatchNorm.BatchNorm2d(mid);
            conv2_kxk = Conv2d(mid, mid, 3, stride: downsample ? 2 : 1, padding: 1, groups: mid, bias: false);
            norm2 = BatchNorm.BatchNorm2d(mid);
            se = new SqueezeExcite(mid, mid / 16, SiLU());
            conv3_1x1 = Conv2d(mid, outC, 1);
            drop_path = new DropPath(dropPath);
            _downsample = downsample;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var skip = shortcut.forward(_downsample ? Pool(x) : x);
            var y = functional.gelu(norm1.forward(conv1_1x1.forward(pre_norm.forward(x))));
            y = se.forward(functional.gelu(norm2.forward(conv2_kxk.forward(y))));
            return skip.Plus(drop_path.forward(conv3_1x1.forward(y))).MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// Transformer block on a feature map with relative-position attention:
    /// x ← proj(pool(x)) + attention(pool(norm(x))) in the first block of a stage (x + attention(norm(x)) after),
    /// then x + MLP(norm(x)). Scores get a learned per-head bias indexed by the 2-D offset between two positions.
    /// </summary>
    private sealed class RelAttentionBlock : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> shortcut;
        private readonly Module<Tensor, Tensor> norm1;
        private readonly Attention attn;
        private readonly RelativePositionBias rel_pos;
        private readonly Module<Tensor, Tensor> norm2;
        private readonly Module<Tensor, Tensor> mlp;
        private readonly Module<Tensor, Tensor> drop_path;
        private readonly bool _downsample;

        public RelAttentionBlock(long inC, long outC, int heads, bool downsample, int size,
            double dropPath) : base(nameof(RelAttentionBlock))
        {
            shortcut = downsample || inC != outC ? Conv2d(inC, outC, 1) : Identity();
            norm1 = new LayerNorm2d(inC, 1e-5);
            attn = new Attention(outC, heads, inC);
            rel_pos = new RelativePositionBias(heads, size);
            norm2 = LayerNorm(outC, eps: 1e-5);
            mlp = new Mlp(outC, 4 * outC);
            drop_path = new DropPath(dropPath);
            _downsample = downsample;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var skip = shortcut.forward(_downsample ? Pool(x) : x);
            var normed = norm1.forward(x);
            if (_downsample) normed = Pool(normed);
            long n = skip.shape[0], c = skip.shape[1], h = skip.shape[2], w = skip.shape[3];
            var tokens = normed.flatten(2).transpose(1, 2); // N, H·W, C_in
            var attended = attn.Forward(tokens, rel_pos.Bias(h, w));
            var y = skip.flatten(2).transpose(1, 2).Plus(drop_path.forward(attended));
            y = y.Plus(drop_path.forward(mlp.forward(norm2.forward(y))));
            return y.transpose(1, 2).reshape(n, c, h, w).MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// A learned [heads, 2S−1, 2S−1] table of biases, one per relative offset on an S x S grid. Another
    /// grid size resamples the table bilinearly (as timm resizes relative-position tables) before indexing.
    /// </summary>
    private sealed class RelativePositionBias : Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Parameter relative_position_bias_table;
        private readonly int _heads;

        public RelativePositionBias(int heads, int size) : base(nameof(RelativePositionBias))
        {
            relative_position_bias_table = Parameter(zeros(heads, 2 * size - 1, 2 * size - 1));
            _heads = heads;
            RegisterComponents();
            using var noGrad = no_grad();
            Init.TruncatedNormal(relative_position_bias_table, 0.02);
        }

        public override Tensor forward(Tensor x) => throw new NotSupportedException("use Bias(h, w)");

        /// <summary>The [heads, h·w, h·w] bias for an h x w grid.</summary>
        public Tensor Bias(long h, long w)
        {
            using var scope = NewDisposeScope();
            var table = relative_position_bias_table;
            Tensor resized = table.shape[1] == 2 * h - 1 && table.shape[2] == 2 * w - 1
                ? table.alias()
                : functional.interpolate(table.unsqueeze(0), [2 * h - 1, 2 * w - 1], mode: InterpolationMode.Bilinear,
                    align_corners: false).squeeze(0);
            // Offsets (dy, dx) of position i from j, shifted to be non-negative, as one flat index into the table.
            using var height = h.ToScalar();
            using var width = w.ToScalar();
            var ys = arange(Scalars.Zero, height, Scalars.One).repeat_interleave(w);
            var xs = arange(Scalars.Zero, width, Scalars.One).repeat(h);
            var dy = (ys.unsqueeze(1) - ys.unsqueeze(0)).Plus(h - 1);
            var dx = (xs.unsqueeze(1) - xs.unsqueeze(0)).Plus(w - 1);
            var index = dy.Times(2 * w - 1).Plus(dx).flatten();
            var bias = resized.reshape(_heads, -1).index_select(1, index.to(resized.device)).reshape(_heads, h * w, h * w);
            return bias.MoveToOuterDisposeScope();
        }
    }
}
