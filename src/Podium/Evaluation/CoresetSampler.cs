using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Evaluation;

/// <summary>
/// Greedy k-center coreset selection (Sener &amp; Savarese 2018, as PatchCore thins its memory bank): from a seeded first row,
/// repeatedly the row farthest from every row chosen so far, so the chosen rows cover the set with the smallest radius a greedy
/// choice finds. Distances are measured in a seeded Gaussian random projection to <see cref="ProjectedDim"/> values (Johnson and
/// Lindenstrauss: distances kept nearly), as PatchCore does to make selection affordable.
/// </summary>
public static class CoresetSampler
{
    public const int ProjectedDim = 128;

    /// <summary>The indices of <paramref name="count"/> rows of <paramref name="rows"/> [n, d], in the order chosen.</summary>
    public static long[] Select(Tensor rows, int count, int seed, Action<int>? progress = null)
    {
        long n = rows.shape[0];
        if (count >= n) return [.. Enumerable.Range(0, (int)n).Select(i => (long)i)];
        using var scope = NewDisposeScope();
        var x = rows;
        if (rows.shape[1] > ProjectedDim)
        {
            var generator = new TorchSharp.torch.Generator((ulong)seed, rows.device);
            var projection = randn(rows.shape[1], ProjectedDim, generator: generator, device: rows.device).Over(Math.Sqrt(ProjectedDim));
            x = rows.matmul(projection);
        }
        return Greedy(x, count, new Random(seed).NextInt64(n), progress);
    }

    /// <summary>The greedy choice from row <paramref name="start"/> on.</summary>
    internal static long[] Greedy(Tensor x, int count, long start, Action<int>? progress = null)
    {
        using var scope = NewDisposeScope();
        var norms = x.mul(x).sum(1);
        var chosen = new long[count];
        chosen[0] = start;
        var nearest = Distances(x, norms, start);
        for (int i = 1; i < count; i++)
        {
            using var step = NewDisposeScope();
            chosen[i] = nearest.argmax().item<long>();
            var next = nearest.minimum(Distances(x, norms, chosen[i]));
            nearest.copy_(next);
            if (i % 256 == 0) progress?.Invoke(i);
        }
        progress?.Invoke(count);
        return chosen;
    }

    /// <summary>Every row's squared distance to row <paramref name="row"/>.</summary>
    private static Tensor Distances(Tensor x, Tensor norms, long row)
    {
        var centre = x[row];
        return norms.Plus(centre.dot(centre)).add(x.mv(centre), Scalars.MinusTwo);
    }
}
