using Podium.Platform;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Podium.Training;

/// <summary>
/// The losses of self-supervised pretraining on a batch of 2N outputs, rows 0..N-1 the first view of each image and N..2N-1 the
/// second.
/// </summary>
public static class SelfSupervisedLosses
{
    /// <summary>
    /// SimCLR's NT-Xent (Chen et al. 2020, eq. 1): each view's positive is the other view of its image, its negatives the other
    /// 2N-2 views; the cross entropy of cosine similarities over <paramref name="temperature"/>, averaged over all 2N views.
    /// </summary>
    public static Tensor NtXent(Tensor z, double temperature)
    {
        using var scope = NewDisposeScope();
        long n2 = z.shape[0], n = n2 / 2;
        var unit = F.normalize(z, p: 2, dim: 1);
        var logits = unit.matmul(unit.t()).Over(temperature);
        // A view is not its own negative: far below any cosine over a temperature, so exp() is 0.
        using var self = eye(n2, dtype: logits.dtype, device: logits.device).Times(SelfLogit);
        var others = logits.add(self, Scalars.MinusOne);
        // Each view's positive, the other view of its image: i + N for the first views, i - N for the second.
        var positive = tensor(Enumerable.Range(0, (int)n2).Select(i => (long)((i + n) % n2)).ToArray(), device: z.device);
        return F.cross_entropy(others, positive).MoveToOuterDisposeScope();
    }

    private const double SelfLogit = 1e9;

    /// <summary>
    /// SimSiam's symmetrised negative cosine (Chen &amp; He 2021, eq. 2): each view's prediction p against the other view's
    /// projection z held fixed (the stop-gradient), averaged over both directions; -1 is perfect agreement.
    /// </summary>
    public static Tensor NegativeCosine(Tensor z, Tensor p)
    {
        using var scope = NewDisposeScope();
        long n = z.shape[0] / 2;
        var other = cat([z.narrow(0, n, n), z.narrow(0, 0, n)], 0).detach();
        var cosine = F.normalize(p, p: 2, dim: 1).mul(F.normalize(other, p: 2, dim: 1)).sum(1);
        return cosine.mean().neg().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The spread of the unit outputs: their per-dimension standard deviation over the batch, averaged and times sqrt(d). About 1
    /// for outputs spread over the sphere, 0 when they have collapsed to one point (SimSiam's failure mode, its paper's Fig. 2).
    /// </summary>
    public static double Spread(Tensor z)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var unit = F.normalize(z.detach().to(ScalarType.Float32), p: 2, dim: 1);
        return unit.std(0).mean().item<float>() * Math.Sqrt(z.shape[1]);
    }
}
