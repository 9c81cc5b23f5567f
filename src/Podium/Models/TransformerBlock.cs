using Podium.Platform;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>Pre-norm transformer block: x + drop_path(attn(norm1(x))), then x + drop_path(mlp(norm2(x))).</summary>
public sealed class TransformerBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> norm1;
    private readonly Module<Tensor, Tensor> attn;
    private readonly Module<Tensor, Tensor> norm2;
    private readonly Module<Tensor, Tensor> mlp;
    private readonly Module<Tensor, Tensor> drop_path;

    public TransformerBlock(long dim, int heads, double dropPath) : base(nameof(TransformerBlock))
    {
        norm1 = LayerNorm(dim, eps: 1e-6);
        attn = new Attention(dim, heads);
        norm2 = LayerNorm(dim, eps: 1e-6);
        mlp = new Mlp(dim, 4 * dim);
        drop_path = new DropPath(dropPath);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x.Plus(drop_path.forward(attn.forward(norm1.forward(x))));
        return y.Plus(drop_path.forward(mlp.forward(norm2.forward(y)))).MoveToOuterDisposeScope();
    }
}
