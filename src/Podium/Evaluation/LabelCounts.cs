namespace Podium.Evaluation;

/// <summary>What multi-label metrics read: the truth, the scores, the hard decisions, and each label's true positives, false
/// positives, false negatives and support (counted once for every metric).</summary>
internal sealed class LabelCounts
{
    public LabelCounts(bool[,] truth, float[,] scores, bool[,] predicted)
    {
        (Truth, Scores, Predicted) = (truth, scores, predicted);
        (N, Labels) = (truth.GetLength(0), truth.GetLength(1));
        (Tp, Fp, Fn, Support) = (new long[Labels], new long[Labels], new long[Labels], new long[Labels]);
        for (int i = 0; i < N; i++)
            for (int l = 0; l < Labels; l++)
            {
                if (truth[i, l]) Support[l]++;
                if (truth[i, l] && predicted[i, l]) Tp[l]++;
                else if (predicted[i, l]) Fp[l]++;
                else if (truth[i, l]) Fn[l]++;
            }
    }

    public bool[,] Truth { get; }
    public float[,] Scores { get; }
    public bool[,] Predicted { get; }
    public int N { get; }
    public int Labels { get; }
    public long[] Tp { get; }
    public long[] Fp { get; }
    public long[] Fn { get; }
    public long[] Support { get; }

    public static double F1(long tp, long fp, long fn) => tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);

    public double[] F1s() => Enumerable.Range(0, Labels).Select(l => F1(Tp[l], Fp[l], Fn[l])).ToArray();

    /// <summary>The share of images whose every label is right.</summary>
    public double SubsetAccuracy() => N == 0 ? 0
        : Enumerable.Range(0, N).Count(i => Enumerable.Range(0, Labels).All(l => Truth[i, l] == Predicted[i, l])) / (double)N;

    /// <summary>F1 of each image over its labels, averaged over images.</summary>
    public double SamplesF1() => Enumerable.Range(0, N).Average(i =>
    {
        long t = 0, p = 0, f = 0;
        for (int l = 0; l < Labels; l++)
        {
            if (Truth[i, l] && Predicted[i, l]) t++;
            else if (Predicted[i, l]) p++;
            else if (Truth[i, l]) f++;
        }
        return F1(t, p, f);
    });

    // Ranking metrics are undefined (NaN) for a label without positives or negatives: such labels are left out
    // of the averages (scikit-learn refuses them outright; a validation fold may well lack a rare label).
    public double Weighted(double[] perLabel)
    {
        var defined = Enumerable.Range(0, Labels).Where(l => !double.IsNaN(perLabel[l]) && Support[l] > 0).ToList();
        return defined.Count == 0 ? 0 : defined.Sum(l => perLabel[l] * Support[l]) / defined.Sum(l => Support[l]);
    }

    public static double Mean(double[] perLabel) => perLabel.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average();
}
