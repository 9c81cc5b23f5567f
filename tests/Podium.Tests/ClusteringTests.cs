using System.Globalization;
using System.Text;
using Podium.Evaluation;

namespace Podium.Tests;

/// <summary>k-means, the silhouette, purity and NMI against scikit-learn's.</summary>
public class ClusteringTests
{
    /// <summary>n points in d dimensions around k centres (point i around centre i mod k, at <paramref name="separation"/> on axis
    /// i mod k), with uniform noise of width 1.</summary>
    internal static float[,] Blobs(int n, int d, int k, double separation, int seed)
    {
        var rng = new Random(seed);
        var points = new float[n, d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) points[i, j] = (float)((j == i % k ? separation : 0.0) + rng.NextDouble() - 0.5);
        return points;
    }

    [Fact]
    public async Task KMeansAndItsScoresMatchScikitLearn()
    {
        // Four blobs in 5-D (120 points), their labels, and a clustering that takes 10 points from their blob and puts one alone.
        int n = 120, d = 5;
        var points = Blobs(n, d, 4, separation: 3, seed: 7);
        int[] labels = [.. Enumerable.Range(0, n).Select(i => i % 4)];
        int[] clustering = [.. labels];
        for (int i = 0; i < 10; i++) clustering[i * 11] = (clustering[i * 11] + 1) % 4;
        clustering[5] = 4;

        var kmeans = KMeans.Fit(points, 4, seed: 0);
        double silhouette = ClusterScores.Silhouette(points, clustering);
        double nmi = ClusterScores.Nmi(clustering, labels), purity = ClusterScores.Purity(clustering, labels);

        static string List(IEnumerable<int> v) => "[" + string.Join(",", v) + "]";
        var script = new StringBuilder();
        script.AppendLine("import numpy as np");
        script.AppendLine("from sklearn.cluster import KMeans");
        script.AppendLine("from sklearn.metrics import silhouette_score, normalized_mutual_info_score, adjusted_rand_score");
        script.AppendLine("from sklearn.metrics.cluster import contingency_matrix");
        script.AppendLine("X = np.array([" + string.Join(",", Enumerable.Range(0, n).Select(i => "[" + string.Join(",",
            Enumerable.Range(0, d).Select(j => points[i, j].ToString("R", CultureInfo.InvariantCulture))) + "]")) + "], dtype=np.float64)");
        script.AppendLine($"labels = {List(labels)}; clustering = {List(clustering)}; ours = {List(kmeans.Assignment)}");
        script.AppendLine("""
            km = KMeans(n_clusters=4, n_init=4, random_state=0).fit(X)
            c = contingency_matrix(labels, clustering)
            print(km.inertia_, adjusted_rand_score(km.labels_, ours), silhouette_score(X, clustering),
                  normalized_mutual_info_score(labels, clustering), c.max(axis=0).sum() / c.sum())
            """);
        var sklearn = (await TuningTests.Python(script.ToString())).Trim().Split(' ')
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(sklearn[0], kmeans.Inertia, sklearn[0] * 1e-5); // the same optimum
        Assert.Equal(1.0, sklearn[1], 9); // the same partition
        Assert.Equal(sklearn[2], silhouette, 6);
        Assert.Equal(sklearn[3], nmi, 9);
        Assert.Equal(sklearn[4], purity, 9);
        Assert.InRange(nmi, 0.5, 0.99); // the clustering is good but not perfect: the test can tell them apart
    }

    [Fact]
    public void EdgeCasesScoreAsScikitLearnDefinesThem()
    {
        Assert.Equal(1.0, ClusterScores.Nmi([0, 0, 0], [1, 1, 1])); // neither splits the points
        Assert.Equal(0.0, ClusterScores.Nmi([0, 0, 1, 1], [0, 1, 0, 1])); // independent
        Assert.Equal(1.0, ClusterScores.Nmi([1, 1, 0, 0], [5, 5, 7, 7]), 12); // the same partition under other names
        Assert.Equal(0.5, ClusterScores.Purity([0, 0, 0, 0], [0, 0, 1, 1]));
        var duplicates = new float[6, 2];
        for (int i = 3; i < 6; i++) duplicates[i, 0] = 1;
        var two = KMeans.Fit(duplicates, 2, seed: 1); // three copies of each of two points
        Assert.Equal(0, two.Inertia, 6);
        Assert.Equal(1.0, ClusterScores.Silhouette(duplicates, two.Assignment), 6);
        Assert.Equal("k-means: k = 7 for 6 images; k must be 1 to 6",
            Assert.Throws<PodiumException>(() => KMeans.Fit(duplicates, 7, seed: 0)).Message);
    }
}
