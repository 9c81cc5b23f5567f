using Podium.Platform;
using static TorchSharp.torch;

namespace Podium.Evaluation;

/// <summary>
/// k-means on embeddings, as scikit-learn's KMeans does it: k-means++ seeding (D² sampling), Lloyd's iterations until no point
/// changes cluster, an empty cluster re-seeded with the point farthest from its centre, the best inertia of a few seeded
/// restarts. Distances are squared Euclidean (for unit embeddings, 2 − 2·cosine); the n × k distance matrix is libtorch's.
/// </summary>
public static class KMeans
{
    /// <param name="points">n rows of d values.</param>
    /// <param name="k">Clusters, 1 to n.</param>
    public static KMeansResult Fit(float[,] points, int k, int seed, int restarts = 4, int maxIterations = 300)
    {
        int n = points.GetLength(0);
        if (k < 1 || k > n) throw new PodiumException($"k-means: k = {k} for {n} images; k must be 1 to {n}");
        using var scope = NewDisposeScope();
        var x = tensor(points);
        KMeansResult? best = null;
        var rng = new Random(seed);
        for (int r = 0; r < restarts; r++)
        {
            using var restart = NewDisposeScope();
            var centres = tensor(PlusPlus(points, k, rng));
            int[] assignment = [];
            double inertia = 0;
            for (int iteration = 0; iteration < maxIterations; iteration++)
            {
                using var step = NewDisposeScope();
                var (nearest, distances) = Assign(x, centres);
                var changed = !nearest.SequenceEqual(assignment);
                assignment = nearest;
                inertia = distances.Sum();
                if (!changed && iteration > 0) break;
                centres.Dispose();
                centres = Update(points, x, assignment, distances, k).MoveToOuterDisposeScope();
            }
            if (best is null || inertia < best.Inertia)
                best = new KMeansResult(assignment, PointMath.ToArray(centres), inertia, Distances(x, centres));
        }
        return best!;
    }

    /// <summary>k-means++: the first centre uniformly, each next one with probability proportional to its squared distance to the
    /// nearest centre chosen so far.</summary>
    private static float[,] PlusPlus(float[,] points, int k, Random rng)
    {
        int n = points.GetLength(0), d = points.GetLength(1);
        var centres = new float[k, d];
        var nearest = new double[n];
        Array.Fill(nearest, double.PositiveInfinity);
        int chosen = rng.Next(n);
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < d; j++) centres[c, j] = points[chosen, j];
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) { double v = points[i, j] - points[chosen, j]; s += v * v; }
                nearest[i] = Math.Min(nearest[i], s);
                total += nearest[i];
            }
            if (c == k - 1) break;
            // Every point already a centre (duplicates): any point will do; Lloyd's update separates what it can.
            double target = rng.NextDouble() * total;
            chosen = n - 1;
            for (int i = 0; i < n && total > 0; i++)
                if ((target -= nearest[i]) < 0) { chosen = i; break; }
            if (total <= 0) chosen = rng.Next(n);
        }
        return centres;
    }

    private static (int[] Nearest, double[] Distances) Assign(Tensor x, Tensor centres)
    {
        var (values, indexes) = TensorMath.SquaredDistances(x, centres).min(1);
        return ([.. indexes.data<long>().ToArray().Select(i => (int)i)], [.. values.data<float>().ToArray().Select(v => (double)v)]);
    }

    /// <summary>Each point's squared distance to every centre, n × k.</summary>
    private static float[,] Distances(Tensor x, Tensor centres)
    {
        using var scope = NewDisposeScope();
        return PointMath.ToArray(TensorMath.SquaredDistances(x, centres));
    }

    private static Tensor Update(float[,] points, Tensor x, int[] assignment, double[] distances, int k)
    {
        var index = tensor(assignment.Select(a => (long)a).ToArray());
        var sums = zeros(k, x.shape[1]).index_add_(0, index, x, Scalars.One);
        var counts = bincount(index, minlength: k).to(ScalarType.Float32);
        var centres = sums.div(counts.clamp_min(Scalars.One).unsqueeze(1));
        var sizes = counts.data<float>().ToArray();
        var taken = new HashSet<int>();
        for (int c = 0; c < k; c++)
        {
            if (sizes[c] > 0) continue;
            // An empty cluster takes the point farthest from its centre (as scikit-learn relocates them).
            int far = Enumerable.Range(0, distances.Length).Where(i => !taken.Contains(i)).MaxBy(i => distances[i]);
            taken.Add(far);
            centres[c].copy_(tensor(Enumerable.Range(0, points.GetLength(1)).Select(j => points[far, j]).ToArray()));
        }
        return centres;
    }
}
