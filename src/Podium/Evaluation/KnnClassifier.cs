namespace Podium.Evaluation;

/// <summary>
/// The weighted k-nearest-neighbour classifier that judges self-supervised features (Wu et al. 2018; the monitor of SimCLR,
/// MoCo and DINO code): the k most similar labelled images vote for their class with weight exp(cosine / temperature).
/// </summary>
public static class KnnClassifier
{
    /// <summary>Each query's predicted class from the gallery's labels; <paramref name="leaveOneOut"/>: the queries are the
    /// gallery and none votes for itself.</summary>
    public static int[] Predict(EmbeddingSet queries, EmbeddingSet gallery, int[] galleryLabels, int k, double temperature,
        bool leaveOneOut)
    {
        int classes = galleryLabels.Length == 0 ? 0 : galleryLabels.Max() + 1;
        k = Math.Min(k, gallery.Count - (leaveOneOut ? 1 : 0));
        var predicted = new int[queries.Count];
        if (k < 1) { Array.Fill(predicted, -1); return predicted; }
        var votes = new double[classes];
        Embeddings.Search(queries, gallery, k, leaveOneOut, (start, n, positions, similarities) =>
        {
            for (int i = 0; i < n; i++)
            {
                Array.Clear(votes);
                for (int j = 0; j < k; j++)
                {
                    int label = galleryLabels[positions[i * k + j]];
                    if (label >= 0) votes[label] += Math.Exp(similarities[i * k + j] / temperature);
                }
                predicted[start + i] = votes.Length == 0 || votes.Max() == 0 ? -1 : Array.IndexOf(votes, votes.Max());
            }
        });
        return predicted;
    }

    /// <summary>The share of labelled images whose leave-one-out vote among the others is their own class.</summary>
    public static double LeaveOneOutAccuracy(EmbeddingSet set, int[] labels, int k, double temperature)
    {
        var predicted = Predict(set, set, labels, k, temperature, leaveOneOut: true);
        int scored = 0, right = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0) continue;
            scored++;
            if (predicted[i] == labels[i]) right++;
        }
        return scored == 0 ? double.NaN : (double)right / scored;
    }
}
