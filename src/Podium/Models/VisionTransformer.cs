using Podium.Config;
using Podium.Platform;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// Vision Transformer (Dosovitskiy et al. 2021) with timm's names (patch_embed.proj, cls_token,
/// pos_embed, blocks.N.{norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2}, norm, head): 16x16
/// patches, a class token, learned position embeddings, pre-norm blocks, the class token classifies.
/// Position embeddings are made for the configured image size and resampled (bicubic, as timm) when
/// an image of another size comes in.
/// </summary>
public sealed class VisionTransformer : Module<Tensor, Tensor>
{
    /// <summary>model.name vit_tiny_patch16 ... (<see cref="Variants"/>).</summary>
    public sealed record Options : OwnBackboneOptions, IComponentFamily
    {
        public static IReadOnlyCollection<string> Names => Variants.Keys;

        public override Module<Tensor, Tensor> Build(string name, int classes, int imgSize) =>
            new VisionTransformer(name, classes, imgSize, DropPath, DropRate);

        public override long FeatureWidth(string name) => Variants[name].Dim;
    }

    public static readonly Dictionary<string, (int Dim, int Depth, int Heads)> Variants = new()
    {
        ["vit_tiny_patch16"] = (192, 12, 3),
        ["vit_small_patch16"] = (384, 12, 6),
    };

    public const int Patch = 16;

    private readonly Module<Tensor, Tensor> patch_embed;
    private readonly TorchSharp.Modules.Parameter cls_token;
    private readonly TorchSharp.Modules.Parameter pos_embed;
    private readonly Module<Tensor, Tensor> blocks;
    private readonly Module<Tensor, Tensor> norm;
    private readonly Module<Tensor, Tensor> head_drop;
    private readonly Module<Tensor, Tensor> head;

    public long FeatureWidth { get; }

    public VisionTransformer(string variant, int numClasses, int imgSize, double dropPath,
        double? dropRate) : base(nameof(VisionTransformer))
    {
        var (dim, depth, heads) = Variants[variant];
        int grid = Math.Max(1, imgSize / Patch);
        patch_embed = new PatchEmbed(dim);
        cls_token = Parameter(zeros(1, 1, dim));
        pos_embed = Parameter(zeros(1, 1 + grid * grid, dim));
        blocks = Sequential(Enumerable.Range(0, depth).Select(i => (Module<Tensor, Tensor>)new TransformerBlock(dim, heads,
            DropPath.Linspace(dropPath, i, depth))).ToList());
        norm = LayerNorm(dim, eps: 1e-6);
        head_drop = Dropout(dropRate ?? 0);
        head = numClasses > 0 ? Linear(dim, numClasses) : Identity();
        FeatureWidth = dim;
        RegisterComponents();
        Init.TruncatedNormal(this);
        using var noGrad = no_grad();
        Init.TruncatedNormal(pos_embed, 0.02);
        init.normal_(cls_token, std: 1e-6);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var tokens = patch_embed.forward(x); // N, gh·gw, dim
        long gh = x.shape[2] / Patch, gw = x.shape[3] / Patch;
        tokens = cat([cls_token.expand(x.shape[0], -1, -1), tokens], 1).Plus(PositionEmbedding(pos_embed, gh, gw));
        var y = norm.forward(blocks.forward(tokens));
        return head.forward(head_drop.forward(y.select(1, 0))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The [1, 1 + gh·gw, D] position embeddings for a gh x gw patch grid: as stored when the grid is the
    /// one they were made for, else the patch part resampled bicubically (timm's resample_abs_pos_embed).
    /// </summary>
    public static Tensor PositionEmbedding(Tensor stored, long gh, long gw)
    {
        long n = stored.shape[1] - 1, dim = stored.shape[2];
        long side = (long)Math.Round(Math.Sqrt(n));
        if (side * side != n) throw new PodiumException($"position embeddings of {n} patches are not a square grid");
        if (gh == side && gw == side) return stored.alias();
        using var scope = NewDisposeScope();
        var grid = stored.narrow(1, 1, n).reshape(1, side, side, dim).permute(0, 3, 1, 2);
        var resized = functional.interpolate(grid, [gh, gw], mode: InterpolationMode.Bicubic, align_corners: false,
            antialias: gh < side || gw < side);
        var patches = resized.permute(0, 2, 3, 1).reshape(1, gh * gw, dim);
        return cat([stored.narrow(1, 0, 1), patches], 1).MoveToOuterDisposeScope();
    }

    /// <summary>Non-overlapping 16x16 patches projected to the model width (a stride-16 conv).</summary>
    private sealed class PatchEmbed : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> proj;

        public PatchEmbed(long dim) : base(nameof(PatchEmbed))
        {
            proj = Conv2d(3, dim, Patch, stride: Patch);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return proj.forward(x).flatten(2).transpose(1, 2).MoveToOuterDisposeScope();
        }
    }
}
