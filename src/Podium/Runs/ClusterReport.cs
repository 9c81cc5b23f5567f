namespace Podium.Runs;

/// <summary>What <see cref="EmbeddingClusters"/> found.</summary>
/// <param name="K">Clusters.</param>
/// <param name="Silhouette">Of the chosen clustering (NaN for k = 1 or one image per cluster).</param>
/// <param name="Sweep">Every k tried and its silhouette.</param>
/// <param name="Purity">Against the labels, when the images have them.</param>
/// <param name="Nmi">Normalised mutual information with the labels, when the images have them.</param>
/// <param name="Sizes">Each cluster's size.</param>
/// <param name="PerClass">Each class's clusters, most of it first, with how many of its images.</param>
/// <param name="Folder">Where clusters.csv, clusters.json and clusters.png went.</param>
/// <param name="Assignment">Each embedded image's cluster, in the embeddings' order.</param>
public sealed record ClusterReport(int K, double Silhouette, IReadOnlyList<(int K, double Silhouette)> Sweep, double? Purity, double? Nmi,
    IReadOnlyList<int> Sizes, IReadOnlyList<(string Class, IReadOnlyList<(int Cluster, int Count)> Clusters)> PerClass, string Folder,
    int[] Assignment);
