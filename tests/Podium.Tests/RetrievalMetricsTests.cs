using System.Globalization;
using System.Text;
using Podium.Evaluation;

namespace Podium.Tests;

/// <summary>Recall@k and MAP@R of embeddings: a case worked by hand, and numpy following the paper's definition.</summary>
public class RetrievalMetricsTests
{
    private static EmbeddingSet OnCircle(params double[] angles)
    {
        var v = new float[angles.Length, 2];
        for (int i = 0; i < angles.Length; i++) (v[i, 0], v[i, 1]) = ((float)Math.Cos(angles[i]), (float)Math.Sin(angles[i]));
        return new EmbeddingSet(v, [.. Enumerable.Range(0, angles.Length)]);
    }

    [Fact]
    public void AWorkedCaseScoresAsThePaperDefinesIt()
    {
        // Gallery at angles 0.1..0.5, labels A B A B A. The query at 0 (A) sees A B A B A: R = 3, MAP@R = (1/1 + 0 + 2/3) / 3 = 5/9.
        // The query at 0.6 (B) sees A B A B A from the other side: R = 2, MAP@R = (0 + 1/2) / 2 = 1/4. A C query has nothing to find.
        var gallery = OnCircle(0.1, 0.2, 0.3, 0.4, 0.5);
        var queries = OnCircle(0, 0.6, 0.3);
        var score = RetrievalMetrics.Compute(queries, [0, 1, 2], gallery, [0, 1, 0, 1, 0], sameSet: false, ks: [1, 2]);
        Assert.Equal(2, score.Queries);
        Assert.Equal(1, score.NothingToFind);
        Assert.Equal((5 / 9.0 + 1 / 4.0) / 2, score.MapAtR, 6);
        Assert.Equal(0.5, score.RecallAtK[1], 9);
        Assert.Equal(1.0, score.RecallAtK[2], 9);

        // Leave-one-out on the gallery itself: 0.1 (A) sees 0.2 B, 0.3 A, 0.4 B, 0.5 A; R = 2: (0 + 1/2) / 2 = 1/4.
        var own = RetrievalMetrics.Compute(gallery, [0, 1, 0, 1, 0], gallery, [0, 1, 0, 1, 0], sameSet: true, ks: [1]);
        Assert.True(own.LeaveOneOut);
        Assert.Equal(5, own.Queries);
        Assert.Equal(0.0, own.RecallAtK[1], 9); // every nearest other is of the other label
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MatchesNumpyOnRandomEmbeddings(bool sameSet)
    {
        var rng = new Random(sameSet ? 3 : 4);
        int nq = 70, ng = sameSet ? nq : 90, d = 6;
        EmbeddingSet Random(int n)
        {
            var v = new float[n, d];
            for (int i = 0; i < n; i++)
            {
                double norm = 0;
                for (int j = 0; j < d; j++) { v[i, j] = (float)(rng.NextDouble() * 2 - 1); norm += v[i, j] * v[i, j]; }
                for (int j = 0; j < d; j++) v[i, j] /= (float)Math.Sqrt(norm);
            }
            return new EmbeddingSet(v, [.. Enumerable.Range(0, n)]);
        }
        var queries = Random(nq);
        var gallery = sameSet ? queries : Random(ng);
        // Five labels, one of them (4) only among the queries, and an unlabelled query (-1).
        int[] queryLabels = [.. Enumerable.Range(0, nq).Select(i => i == 0 ? -1 : rng.Next(5))];
        int[] galleryLabels = sameSet ? queryLabels : [.. Enumerable.Range(0, ng).Select(_ => rng.Next(4))];
        var score = RetrievalMetrics.Compute(queries, queryLabels, gallery, galleryLabels, sameSet, ks: [1, 3, 10]);

        string Rows(EmbeddingSet s) => "[" + string.Join(",", Enumerable.Range(0, s.Count).Select(i => "[" + string.Join(",",
            Enumerable.Range(0, d).Select(j => s.Vectors[i, j].ToString("R", CultureInfo.InvariantCulture))) + "]")) + "]";
        var script = new StringBuilder();
        script.AppendLine("import numpy as np");
        script.AppendLine($"Q = np.array({Rows(queries)}, dtype=np.float32); G = np.array({Rows(gallery)}, dtype=np.float32)");
        script.AppendLine($"ql = [{string.Join(",", queryLabels)}]; gl = [{string.Join(",", galleryLabels)}]");
        script.AppendLine($"same = {(sameSet ? "True" : "False")}");
        script.AppendLine("""
            S = Q.astype(np.float64) @ G.astype(np.float64).T
            recall = {1: [], 3: [], 10: []}; maps = []
            for q in range(len(ql)):
                idx = [g for g in np.argsort(-S[q], kind='stable') if not (same and g == q)]
                hits = [ql[q] >= 0 and gl[g] == ql[q] for g in idx]
                R = sum(hits)
                if R == 0: continue
                for k in recall: recall[k].append(any(hits[:k]))
                # Musgrave et al. 2020: MAP@R = 1/R * sum_{i<=R} P(i), P(i) = precision@i if the i-th result is relevant, else 0
                maps.append(sum(np.mean(hits[:i + 1]) for i in range(R) if hits[i]) / R)
            print(len(maps), np.mean(maps), *[np.mean(recall[k]) for k in (1, 3, 10)])
            """);
        var numpy = (await TuningTests.Python(script.ToString())).Trim().Split(' ')
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(numpy[0], score.Queries);
        Assert.Equal(nq - (int)numpy[0], score.NothingToFind);
        Assert.True(score.NothingToFind >= 1); // the unlabelled query at least
        Assert.Equal(numpy[1], score.MapAtR, 5);
        Assert.Equal(numpy[2], score.RecallAtK[1], 9);
        Assert.Equal(numpy[3], score.RecallAtK[3], 9);
        Assert.Equal(numpy[4], score.RecallAtK[10], 9);
    }
}
