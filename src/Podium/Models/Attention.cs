using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Podium.Models;

/// <summary>
/// Multi-head self-attention over [N, T, D] tokens (timm's names qkv, proj). With a relative position
/// bias (CoAtNet) the scores get that bias added; without, libtorch's fused scaled_dot_product_attention runs.
/// </summary>
public sealed class Attention : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> qkv;
    private readonly Module<Tensor, Tensor> proj;
    private readonly int _heads;

    public Attention(long dim, int heads, long inDim = 0) : base(nameof(Attention))
    {
        qkv = Linear(inDim == 0 ? dim : inDim, 3 * dim);
        proj = Linear(dim, dim);
        _heads = heads;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Forward(x, null);

    /// <summary>Attention with an additive [heads, T, T] bias on the scores (null: none).</summary>
    public Tensor Forward(Tensor x, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0], t = x.shape[1];
        var parts = qkv.forward(x).reshape(n, t, 3, _heads, -1).permute(2, 0, 3, 1, 4); // 3, N, heads, T, head dim
        Tensor q = parts[0], k = parts[1], v = parts[2];
        var y = functional.scaled_dot_product_attention(q, k, v, bias?.unsqueeze(0).expand(n, -1, -1, -1));
        return proj.forward(y.transpose(1, 2).reshape(n, t, -1)).MoveToOuterDisposeScope();
    }
}
