using System.Globalization;
using System.Text.Json.Nodes;
using Podium.Data;
using Podium.Evaluation;
using Podium.IO;
using Podium.Reporting;
using static Podium.Platform.Invariant;

namespace Podium.Runs;

/// <summary>
/// <c>podium embed --clusters K|auto</c>: k-means over a set's embeddings (k given, or swept from 2 and chosen by the silhouette),
/// then the error-analysis view: each cluster's size and commonest label, which clusters each class falls into, purity and NMI
/// against the labels, and the images nearest each centre (clusters.png), beside clusters.csv (every image's cluster) and
/// clusters.json.
/// </summary>
public static class EmbeddingClusters
{
    /// <summary>The largest k an automatic sweep tries.</summary>
    public const int SweepMax = 12;

    /// <summary>Images shown per cluster, nearest its centre first.</summary>
    public const int Shown = 8;

    /// <summary>Parses --clusters: a number of clusters, or "auto" (null).</summary>
    public static int? ParseK(string value) =>
        value == "auto" ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1 ? k
        : throw new PodiumException($"--clusters {value}: give a number of clusters (1 or more) or 'auto'");

    /// <param name="k">Clusters; null sweeps 2..<see cref="SweepMax"/> (at most n − 1) and keeps the best silhouette.</param>
    public static ClusterReport Write(EmbeddingSet set, ImageDataset data, string outDir, int? k, int seed, Action<string> log)
    {
        var (result, silhouette, sweep) = Choose(set, k, seed, log);
        int n = set.Count;
        int[] labels = set.Labels(data);
        var labelled = Enumerable.Range(0, n).Where(i => labels[i] >= 0).ToArray();
        double? purity = null, nmi = null;
        if (labelled.Length > 0)
        {
            int[] clusters = [.. labelled.Select(i => result.Assignment[i])], truth = [.. labelled.Select(i => labels[i])];
            (purity, nmi) = (ClusterScores.Purity(clusters, truth), ClusterScores.Nmi(clusters, truth));
        }
        // Each cluster's images, nearest its centre first.
        double Distance(int i) => Math.Sqrt(result.SquaredDistances[i, result.Assignment[i]]);
        var members = Enumerable.Range(0, result.K).Select(c => Enumerable.Range(0, n).Where(i => result.Assignment[i] == c)
            .OrderBy(Distance).ToList()).ToList();
        var perClass = data.Classes.Select((name, label) => (Class: name, Clusters: (IReadOnlyList<(int Cluster, int Count)>)
            [.. Enumerable.Range(0, n).Where(i => labels[i] == label).GroupBy(i => result.Assignment[i])
                .Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2)])).Where(x => x.Clusters.Count > 0).ToList();
        var report = new ClusterReport(result.K, silhouette, sweep, purity, nmi, [.. members.Select(m => m.Count)], perClass, outDir,
            result.Assignment);

        Directory.CreateDirectory(outDir);
        string Label(int i) => labels[i] >= 0 ? data.Classes[labels[i]] : "";
        string Path(int i) => data.Locate(set.Indices[i]);
        AtomicFile.WriteAllLines(System.IO.Path.Combine(outDir, "clusters.csv"), ["path,cluster,label,distance",
            .. Enumerable.Range(0, n).Select(i => Csv.Line([Path(i), result.Assignment[i].ToString(CultureInfo.InvariantCulture),
                Label(i), Distance(i).ToString("F6", CultureInfo.InvariantCulture)]))]);
        var perCluster = members.Select((list, c) =>
        {
            var commonest = list.Where(i => labels[i] >= 0).GroupBy(i => labels[i]).MaxBy(g => g.Count());
            return (JsonNode)new JsonObject
            {
                ["cluster"] = c,
                ["size"] = list.Count,
                ["commonest_label"] = commonest is null ? null : data.Classes[commonest.Key],
                ["commonest_share"] = commonest is null ? null : commonest.Count() / (double)list.Count,
                ["nearest_centre"] = new JsonArray([.. list.Take(Shown).Select(i => (JsonNode)Path(i))]),
            };
        });
        AtomicFile.WriteAllText(System.IO.Path.Combine(outDir, "clusters.json"), Json(report, result.Inertia, k is null,
            [.. perCluster]).ToJsonString(JsonFiles.Options));
        CaptionedGallery.Write(data, [.. members.Select((list, c) => (IReadOnlyList<CaptionedGallery.Item>)[.. list.Take(Shown)
            .Select(i => new CaptionedGallery.Item(set.Indices[i], F($"#{c} {ImageGrid.Cut(Label(i))}"), F($"d {Distance(i):F3}")))])],
            System.IO.Path.Combine(outDir, "clusters.png"), flagFirst: false);
        return report;
    }

    /// <summary>The clustering with k clusters, or the best silhouette of the sweep.</summary>
    private static (KMeansResult Result, double Silhouette, List<(int K, double Silhouette)> Sweep) Choose(EmbeddingSet set, int? k,
        int seed, Action<string> log)
    {
        int n = set.Count;
        if (k > n) throw new PodiumException($"--clusters {k}: more clusters than the {n} images embedded");
        if (k is null && n < 3) throw new PodiumException($"--clusters auto: {n} images are too few to compare clusterings (3 or more)");
        var sweep = new List<(int K, double Silhouette)>();
        KMeansResult? result = null;
        double best = double.NaN;
        foreach (int candidate in k is { } fixedK ? [fixedK] : Enumerable.Range(2, Math.Min(SweepMax, n - 1) - 1))
        {
            var fit = KMeans.Fit(set.Vectors, candidate, seed);
            // One cluster, or one per image, has no silhouette (nothing to compare a point's cluster with).
            double silhouette = candidate >= 2 && candidate <= n - 1 ? ClusterScores.Silhouette(set.Vectors, fit.Assignment, seed)
                : double.NaN;
            sweep.Add((candidate, silhouette));
            if (k is null) log(F($"k-means k = {candidate}: silhouette {silhouette:F4}"));
            if (result is null || silhouette > best) (result, best) = (fit, silhouette);
        }
        ArgumentNullException.ThrowIfNull(result); // the loop ran at least once
        return (result, best, sweep);
    }

    private static JsonObject Json(ClusterReport r, double inertia, bool swept, JsonArray clusters) => new()
    {
        ["k"] = r.K,
        ["chosen_by"] = swept ? "silhouette" : "given",
        ["inertia"] = inertia,
        ["silhouette"] = JsonFiles.Finite(r.Silhouette),
        ["purity"] = r.Purity,
        ["nmi"] = r.Nmi,
        ["sweep"] = new JsonArray([.. r.Sweep.Select(s => (JsonNode)new JsonObject
        {
            ["k"] = s.K,
            ["silhouette"] = JsonFiles.Finite(s.Silhouette)
        })]),
        ["clusters"] = clusters,
        // Where each class falls: cluster -> how many of its images.
        ["classes"] = new JsonObject(r.PerClass.Select(p => KeyValuePair.Create(p.Class, (JsonNode?)new JsonObject(
            p.Clusters.Select(x => KeyValuePair.Create(x.Cluster.ToString(CultureInfo.InvariantCulture), (JsonNode?)x.Count)))))),
    };
}
