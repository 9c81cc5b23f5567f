using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Training;

/// <summary>
/// A loss over a whole batch's outputs (a contrastive loss couples every sample to every other) with the memory of a chunk
/// (Gao et al. 2021, "Scaling Deep Contrastive Learning Batch Size under Memory Limited Setup"): the outputs are computed chunk
/// by chunk without gradients, the loss and its gradient with respect to the outputs are taken once, then each chunk runs again
/// with gradients and back-propagates its share. The parameter gradients equal the whole batch's; each chunk's random draws
/// (dropout, drop-path) are seeded alike in both passes. Batch-norm layers see a chunk at a time (as on one GPU of many).
/// </summary>
public static class GradientCache
{
    /// <summary>
    /// The loss of <paramref name="model"/> on <paramref name="x"/>: with chunks, the earlier chunks have back-propagated already
    /// and what comes back is the last chunk's surrogate, whose backward pass completes the gradients and whose value is the loss.
    /// </summary>
    /// <param name="chunk">Samples per forward pass with gradients; 0 or at least the batch: one pass, a plain loss.</param>
    /// <param name="seed">Seeds each chunk's random draws, the same in both passes.</param>
    /// <param name="outputs">The model's outputs for the whole batch, without a graph.</param>
    public static Tensor Loss(nn.Module<Tensor, Tensor> model, Tensor x, int chunk, long seed, Func<Tensor, Tensor> loss,
        out Tensor outputs)
    {
        long n = x.shape[0];
        if (chunk <= 0 || chunk >= n)
        {
            var whole = model.forward(x);
            outputs = whole.detach();
            return loss(whole);
        }
        var pieces = x.split(chunk);
        Tensor cached;
        using (no_grad())
            cached = cat([.. pieces.Select((p, i) => Seeded(seed, i, () => model.forward(p)))], 0);
        var leaf = cached.requires_grad_();
        var value = loss(leaf);
        value.backward(); // only through the loss: leaf is where the graph starts
        var grads = leaf.grad!.detach().split(chunk);
        for (int i = 0; i < pieces.Length - 1; i++)
        {
            using var scope = NewDisposeScope();
            Seeded(seed, i, () => model.forward(pieces[i])).mul(grads[i]).sum().backward();
        }
        var surrogate = Seeded(seed, pieces.Length - 1, () => model.forward(pieces[^1])).mul(grads[^1]).sum();
        outputs = leaf.detach();
        // The surrogate's gradient, the loss's value.
        return surrogate.add(value.detach().add(surrogate.detach(), Scalars.MinusOne), Scalars.One);
    }

    private static Tensor Seeded(long seed, int chunk, Func<Tensor> forward)
    {
        manual_seed(seed + chunk);
        return forward();
    }
}
