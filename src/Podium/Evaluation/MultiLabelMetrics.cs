namespace Podium.Evaluation;

/// <summary>
/// Metrics of multi-label predictions (several labels per image): truth[i, l] says whether image i has
/// label l, scores[i, l] is the model's probability; hard predictions are scores ≥ threshold. As
/// scikit-learn computes them (zero_division = 0; micro averages pool every image-label pair).
/// </summary>
public static class MultiLabelMetrics
{
    public static readonly IReadOnlyDictionary<string, bool> Names = new Dictionary<string, bool>
    {
        ["subset_accuracy"] = false, ["hamming_loss"] = true,
        ["f1_micro"] = false, ["f1_macro"] = false, ["f1_weighted"] = false, ["f1_samples"] = false,
        ["precision_micro"] = false, ["recall_micro"] = false,
        ["roc_auc"] = false, ["roc_auc_micro"] = false, ["roc_auc_weighted"] = false,
        ["pr_auc"] = false, ["pr_auc_micro"] = false, ["pr_auc_weighted"] = false,
    };

    public static double Compute(string name, bool[,] truth, float[,] scores, double threshold = 0.5)
    {
        int n = truth.GetLength(0), labels = truth.GetLength(1);
        var predicted = new bool[n, labels];
        for (int i = 0; i < n; i++)
            for (int l = 0; l < labels; l++) predicted[i, l] = scores[i, l] >= threshold;
        var (tp, fp, fn, support) = (new long[labels], new long[labels], new long[labels], new long[labels]);
        for (int i = 0; i < n; i++)
            for (int l = 0; l < labels; l++)
            {
                if (truth[i, l]) support[l]++;
                if (truth[i, l] && predicted[i, l]) tp[l]++;
                else if (predicted[i, l]) fp[l]++;
                else if (truth[i, l]) fn[l]++;
            }
        double F1(long t, long p, long f) => t == 0 ? 0 : 2.0 * t / (2.0 * t + p + f);
        double Weighted(double[] perLabel) =>
            support.Sum() == 0 ? 0 : Enumerable.Range(0, labels).Sum(l => perLabel[l] * support[l]) / support.Sum();
        double[] f1s = Enumerable.Range(0, labels).Select(l => F1(tp[l], fp[l], fn[l])).ToArray();
        return name switch
        {
            "subset_accuracy" => n == 0 ? 0 : Enumerable.Range(0, n).Count(i => Enumerable.Range(0, labels).All(l => truth[i, l] == predicted[i, l])) / (double)n,
            "hamming_loss" => n == 0 ? 0 : (fp.Sum() + fn.Sum()) / ((double)n * labels),
            "f1_micro" => F1(tp.Sum(), fp.Sum(), fn.Sum()),
            "f1_macro" => f1s.Average(),
            "f1_weighted" => Weighted(f1s),
            "f1_samples" => Enumerable.Range(0, n).Average(i =>
            {
                long t = 0, p = 0, f = 0;
                for (int l = 0; l < labels; l++)
                {
                    if (truth[i, l] && predicted[i, l]) t++;
                    else if (predicted[i, l]) p++;
                    else if (truth[i, l]) f++;
                }
                return F1(t, p, f);
            }),
            "precision_micro" => tp.Sum() + fp.Sum() == 0 ? 0 : tp.Sum() / (double)(tp.Sum() + fp.Sum()),
            "recall_micro" => tp.Sum() + fn.Sum() == 0 ? 0 : tp.Sum() / (double)(tp.Sum() + fn.Sum()),
            "roc_auc" => PerLabel(RankMetrics.RocAuc, truth, scores).Average(),
            "roc_auc_weighted" => Weighted(PerLabel(RankMetrics.RocAuc, truth, scores)),
            "roc_auc_micro" => Pooled(RankMetrics.RocAuc, truth, scores),
            "pr_auc" => PerLabel(RankMetrics.AveragePrecision, truth, scores).Average(),
            "pr_auc_weighted" => Weighted(PerLabel(RankMetrics.AveragePrecision, truth, scores)),
            "pr_auc_micro" => Pooled(RankMetrics.AveragePrecision, truth, scores),
            _ => throw new ConfigException($"unknown multi-label metric '{name}' ({string.Join(", ", Names.Keys)})"),
        };
    }

    private static double[] PerLabel(Func<IReadOnlyList<double>, IReadOnlyList<bool>, double> metric, bool[,] truth, float[,] scores)
    {
        int n = truth.GetLength(0), labels = truth.GetLength(1);
        return Enumerable.Range(0, labels).Select(l =>
            metric(Enumerable.Range(0, n).Select(i => (double)scores[i, l]).ToArray(), Enumerable.Range(0, n).Select(i => truth[i, l]).ToArray())).ToArray();
    }

    /// <summary>The metric over every image-label pair at once (scikit-learn's micro average of a ranking metric).</summary>
    private static double Pooled(Func<IReadOnlyList<double>, IReadOnlyList<bool>, double> metric, bool[,] truth, float[,] scores) =>
        metric(scores.Cast<float>().Select(v => (double)v).ToArray(), truth.Cast<bool>().ToArray());
}
