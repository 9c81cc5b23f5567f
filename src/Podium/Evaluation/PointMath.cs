using static TorchSharp.torch;

namespace Podium.Evaluation;

/// <summary>What k-means, the silhouette and t-SNE share: a seeded sample of rows, and the moves between float[,] and tensors.
/// </summary>
internal static class PointMath
{
    /// <summary>All of 0..n−1, or a seeded sample of <paramref name="max"/> of them in order (what is drawn of a large set).</summary>
    public static int[] Sample(int n, int max, int seed)
    {
        int[] rows = [.. Enumerable.Range(0, n)];
        if (n <= max) return rows;
        new Random(seed).Shuffle(rows);
        return [.. rows[..max].Order()];
    }

    /// <summary>The chosen rows of <paramref name="points"/>.</summary>
    public static float[,] Rows(float[,] points, int[] rows)
    {
        int d = points.GetLength(1);
        var subset = new float[rows.Length, d];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < d; j++) subset[i, j] = points[rows[i], j];
        return subset;
    }

    /// <summary>A 2-D float tensor as an array.</summary>
    public static float[,] ToArray(Tensor t)
    {
        var flat = t.contiguous().data<float>().ToArray();
        var result = new float[t.shape[0], t.shape[1]];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(float));
        return result;
    }
}
