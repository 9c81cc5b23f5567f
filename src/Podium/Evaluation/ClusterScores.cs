using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Evaluation;

/// <summary>
/// How good a clustering is, alone (the silhouette) and against labels (purity, NMI), computed as scikit-learn's
/// silhouette_score (Euclidean), normalized_mutual_info_score (arithmetic mean of the entropies) and the purity of its
/// contingency table.
/// </summary>
public static class ClusterScores
{
    /// <summary>Rows beyond which the silhouette is taken on a seeded sample (it compares every pair: n² distances).</summary>
    public const int SilhouetteSample = 10_000;

    /// <summary>The mean over points of (b − a) / max(a, b): a the mean distance to the rest of its cluster, b the mean distance
    /// to the nearest other cluster; 0 for a point alone in its cluster. Needs 2 to n − 1 clusters.</summary>
    public static double Silhouette(float[,] points, int[] clusters, int seed = 0)
    {
        int[] rows = PointMath.Sample(points.GetLength(0), SilhouetteSample, seed);
        int m = rows.Length;
        int[] ids = [.. clusters.Distinct().Order()];
        var cluster = rows.Select(r => Array.BinarySearch(ids, clusters[r])).ToArray();
        int k = ids.Length;
        if (k < 2 || k > m - 1) throw new ArgumentException($"the silhouette needs 2 to {m - 1} clusters, not {k}");
        var counts = new int[k];
        foreach (var c in cluster) counts[c]++;

        using var scope = NewDisposeScope();
        var x = tensor(PointMath.Rows(points, rows)).to(ScalarType.Float64);
        var oneHot = zeros(m, k, ScalarType.Float64).scatter_(1, tensor(cluster.Select(c => (long)c).ToArray()).unsqueeze(1),
            ones(m, 1, ScalarType.Float64));
        double total = 0;
        const int Block = 512; // bounds the distances held at once: Block x n
        for (int start = 0; start < m; start += Block)
        {
            using var blockScope = NewDisposeScope();
            int b = Math.Min(Block, m - start);
            var distances = TensorMath.SquaredDistances(x.narrow(0, start, b), x).sqrt();
            distances.diagonal(start).zero_(); // oneself, exactly
            var sums = distances.matmul(oneHot).data<double>().ToArray();
            for (int i = 0; i < b; i++)
            {
                int own = cluster[start + i];
                if (counts[own] == 1) continue; // s = 0
                double a = sums[i * k + own] / (counts[own] - 1), nearest = double.PositiveInfinity;
                for (int c = 0; c < k; c++)
                    if (c != own) nearest = Math.Min(nearest, sums[i * k + c] / counts[c]);
                double denominator = Math.Max(a, nearest);
                total += denominator > 0 ? (nearest - a) / denominator : 0;
            }
        }
        return total / m;
    }

    /// <summary>The share of points whose cluster's most common label is their own.</summary>
    public static double Purity(int[] clusters, int[] labels) =>
        Contingency(clusters, labels).Values.GroupBy(cell => cell.Cluster)
            .Sum(g => g.Max(cell => cell.Count)) / (double)clusters.Length;

    /// <summary>Normalised mutual information: I(U; V) over the mean of H(U) and H(V); 1 when neither splits the points.</summary>
    public static double Nmi(int[] clusters, int[] labels)
    {
        int n = clusters.Length;
        if (labels.Length != n) throw new ArgumentException("one label per point");
        int ku = clusters.Distinct().Count(), kv = labels.Distinct().Count();
        if (ku == kv && ku <= 1) return 1.0;
        var cells = Contingency(clusters, labels).Values;
        var byCluster = clusters.GroupBy(c => c).ToDictionary(g => g.Key, g => (double)g.Count());
        var byLabel = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => (double)g.Count());
        double mi = cells.Sum(cell => cell.Count / (double)n * Math.Log(cell.Count * (double)n / (byCluster[cell.Cluster] *
            byLabel[cell.Label])));
        if (mi <= 0) return 0;
        static double Entropy(IEnumerable<double> sizes, int n) => -sizes.Sum(s => s / n * Math.Log(s / n));
        return mi / ((Entropy(byCluster.Values, n) + Entropy(byLabel.Values, n)) / 2);
    }

    private static Dictionary<(int, int), (int Cluster, int Label, int Count)> Contingency(int[] clusters, int[] labels)
    {
        if (labels.Length != clusters.Length) throw new ArgumentException("one label per point");
        var cells = new Dictionary<(int, int), (int Cluster, int Label, int Count)>();
        for (int i = 0; i < clusters.Length; i++)
        {
            var key = (clusters[i], labels[i]);
            cells[key] = (clusters[i], labels[i], cells.GetValueOrDefault(key).Count + 1);
        }
        return cells;
    }
}
