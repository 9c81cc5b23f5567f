namespace Podium.Evaluation;

/// <summary>
/// Embeddings judged as retrieval: every labelled query ranks the gallery by cosine similarity, and a same-label gallery image
/// counts as a hit. Recall@k is the share of queries with a hit among their k nearest (Recall@1 is metric learning's
/// Precision@1); MAP@R (Musgrave, Belongie and Lim, "A Metric Learning Reality Check", 2020) looks at the first R results, R
/// being how many gallery images share the query's label: (1/R) × the sum over i ≤ R of precision@i at each hit, so it rewards
/// putting all of a class first, not only one. An unlabelled query (a negative label), or one whose label no other gallery
/// image carries, has nothing to find and is left out (counted). When the queries are the gallery, each query's own row is
/// never its neighbour (leave-one-out).
/// </summary>
public static class RetrievalMetrics
{
    /// <summary>The k of Recall@k that reports show.</summary>
    public static readonly int[] DefaultKs = [1, 5, 10];

    /// <param name="queryLabels">Each query row's label.</param>
    /// <param name="galleryLabels">Each gallery row's label.</param>
    /// <param name="sameSet">Queries and gallery are one set (row i of both is one image): leave-one-out.</param>
    public static RetrievalScore Compute(EmbeddingSet queries, int[] queryLabels, EmbeddingSet gallery, int[] galleryLabels,
        bool sameSet, IReadOnlyList<int>? ks = null)
    {
        ks ??= DefaultKs;
        if (queryLabels.Length != queries.Count || galleryLabels.Length != gallery.Count)
            throw new ArgumentException("one label per embedding row");
        if (sameSet && queries.Count != gallery.Count) throw new ArgumentException("leave-one-out needs the queries to be the gallery");
        if (ks.Any(k => k < 1)) throw new ArgumentException("k of Recall@k must be at least 1");
        var perLabel = galleryLabels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        int Relevant(int q) => queryLabels[q] < 0 ? 0 : perLabel.GetValueOrDefault(queryLabels[q]) - (sameSet ? 1 : 0);

        int depth = Math.Max(ks.Max(), Enumerable.Range(0, queries.Count).Select(Relevant).DefaultIfEmpty(0).Max());
        depth = Math.Min(depth, gallery.Count - (sameSet ? 1 : 0));
        var hits = new long[ks.Count];
        double mapSum = 0;
        int scored = 0;
        if (depth > 0)
            Embeddings.Search(queries, gallery, depth, sameSet, (start, n, positions, _) =>
            {
                for (int i = 0; i < n; i++)
                {
                    int q = start + i, r = Relevant(q);
                    if (r <= 0) continue;
                    scored++;
                    int label = queryLabels[q];
                    var row = positions.AsSpan(i * depth, depth);
                    for (int j = 0; j < ks.Count; j++)
                    {
                        int k = Math.Min(ks[j], depth);
                        foreach (var p in row[..k])
                            if (galleryLabels[p] == label) { hits[j]++; break; }
                    }
                    int found = 0;
                    double precisionSum = 0;
                    for (int rank = 0; rank < r; rank++)
                        if (galleryLabels[row[rank]] == label) precisionSum += ++found / (double)(rank + 1);
                    mapSum += precisionSum / r;
                }
            });
        var recall = ks.Select((k, j) => (k, scored == 0 ? double.NaN : hits[j] / (double)scored)).ToDictionary(x => x.k, x => x.Item2);
        return new RetrievalScore(recall, scored == 0 ? double.NaN : mapSum / scored, scored, queries.Count - scored, sameSet);
    }
}
