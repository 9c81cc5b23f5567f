namespace Podium.Evaluation;

/// <summary>
/// Metrics of multi-label predictions (several labels per image): truth[i, l] says whether image i has
/// label l, scores[i, l] is the model's probability; hard predictions are scores ≥ threshold. As
/// scikit-learn computes them (zero_division = 0; micro averages pool every image-label pair).
/// accuracy is scikit-learn's accuracy_score of indicator matrices (the subset accuracy); log_loss is the
/// binary log loss averaged over every image-label pair (the mean over labels of scikit-learn's log_loss).
/// </summary>
public static class MultiLabelMetrics
{
    /// <summary>Metric names, with whether lower is better.</summary>
    public static readonly IReadOnlyDictionary<string, bool> Names = new Dictionary<string, bool>
    {
        ["accuracy"] = false,
        ["subset_accuracy"] = false,
        ["hamming_loss"] = true,
        ["log_loss"] = true,
        ["f1_micro"] = false,
        ["f1_macro"] = false,
        ["f1_weighted"] = false,
        ["f1_samples"] = false,
        ["precision_micro"] = false,
        ["recall_micro"] = false,
        ["roc_auc"] = false,
        ["roc_auc_micro"] = false,
        ["roc_auc_weighted"] = false,
        ["pr_auc"] = false,
        ["pr_auc_micro"] = false,
        ["pr_auc_weighted"] = false,
    };

    /// <summary>Whether each image has each label: the truth matrix of predictions of multi-label data.</summary>
    public static bool[,] Truth(Data.ImageDataset data, IReadOnlyList<int> indices)
    {
        var truth = new bool[indices.Count, data.Classes.Count];
        for (int i = 0; i < indices.Count; i++)
            foreach (var l in data.Tags(indices[i])
                ?? throw new PodiumException($"{data.Locate(indices[i])}: no labels (multi-label scoring needs labelled images)"))
                truth[i, l] = true;
        return truth;
    }

    /// <summary>The hard decisions: score ≥ the label's threshold (0.5 without thresholds).</summary>
    public static bool[,] Decide(float[,] scores, IReadOnlyList<double>? thresholds = null)
    {
        int n = scores.GetLength(0), labels = scores.GetLength(1);
        var predicted = new bool[n, labels];
        for (int i = 0; i < n; i++)
            for (int l = 0; l < labels; l++) predicted[i, l] = scores[i, l] >= (thresholds?[l] ?? 0.5);
        return predicted;
    }

    public static double Compute(string name, bool[,] truth, float[,] scores, double threshold = 0.5) =>
        Compute(name, truth, scores, Enumerable.Repeat(threshold, truth.GetLength(1)).ToArray());

    /// <summary>Precision, recall, F1 and support of each label at the thresholds.</summary>
    public static List<ClassScore> PerLabel(bool[,] truth, float[,] scores, IReadOnlyList<string> labels,
        IReadOnlyList<double>? thresholds = null)
    {
        var predicted = Decide(scores, thresholds);
        return labels.Select((name, l) =>
        {
            long tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < truth.GetLength(0); i++)
            {
                if (truth[i, l] && predicted[i, l]) tp++;
                else if (predicted[i, l]) fp++;
                else if (truth[i, l]) fn++;
            }
            double p = tp + fp == 0 ? 0 : tp / (double)(tp + fp), r = tp + fn == 0 ? 0 : tp / (double)(tp + fn);
            return new ClassScore(name, p, r, tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn), (int)(tp + fn));
        }).ToList();
    }

    public static double Compute(string name, bool[,] truth, float[,] scores, IReadOnlyList<double> thresholds)
    {
        int n = truth.GetLength(0), labels = truth.GetLength(1);
        var predicted = Decide(scores, thresholds);
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
        // Ranking metrics are undefined (NaN) for a label without positives or negatives: such labels are left out
        // of the averages (scikit-learn refuses them outright; a validation fold may well lack a rare label).
        double Weighted(double[] perLabel)
        {
            var defined = Enumerable.Range(0, labels).Where(l => !double.IsNaN(perLabel[l]) && support[l] > 0).ToList();
            return defined.Count == 0 ? 0 : defined.Sum(l => perLabel[l] * support[l]) / defined.Sum(l => support[l]);
        }
        static double Mean(double[] perLabel) => perLabel.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average();
        double[] f1s = Enumerable.Range(0, labels).Select(l => F1(tp[l], fp[l], fn[l])).ToArray();
        return name switch
        {
            "log_loss" => LogLoss(truth, scores),
            "accuracy" or "subset_accuracy" => n == 0 ? 0 : Enumerable.Range(0, n).Count(i => Enumerable.Range(0,
                labels).All(l => truth[i, l] == predicted[i, l])) / (double)n,
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
            "roc_auc" => Mean(PerLabelRanking(RankMetrics.RocAuc, truth, scores)),
            "roc_auc_weighted" => Weighted(PerLabelRanking(RankMetrics.RocAuc, truth, scores)),
            "roc_auc_micro" => Pooled(RankMetrics.RocAuc, truth, scores),
            "pr_auc" => Mean(PerLabelRanking(RankMetrics.AveragePrecision, truth, scores)),
            "pr_auc_weighted" => Weighted(PerLabelRanking(RankMetrics.AveragePrecision, truth, scores)),
            "pr_auc_micro" => Pooled(RankMetrics.AveragePrecision, truth, scores),
            _ => throw new ConfigException($"unknown multi-label metric '{name}' ({string.Join(", ", Names.Keys)})"),
        };
    }

    /// <summary>Mean binary log loss, probabilities clipped to [1e-15, 1 − 1e-15] as scikit-learn does.</summary>
    private static double LogLoss(bool[,] truth, float[,] scores)
    {
        double sum = 0;
        foreach (var (t, p) in truth.Cast<bool>().Zip(scores.Cast<float>()))
        {
            double q = Math.Clamp((double)p, 1e-15, 1 - 1e-15);
            sum -= t ? Math.Log(q) : Math.Log(1 - q);
        }
        return truth.Length == 0 ? 0 : sum / truth.Length;
    }

    private static double[] PerLabelRanking(Func<IReadOnlyList<double>, IReadOnlyList<bool>, double> metric, bool[,] truth, float[,] scores)
    {
        int n = truth.GetLength(0), labels = truth.GetLength(1);
        return Enumerable.Range(0, labels).Select(l =>
            metric(Enumerable.Range(0, n).Select(i => (double)scores[i, l]).ToArray(), Enumerable.Range(0,
                n).Select(i => truth[i, l]).ToArray())).ToArray();
    }

    /// <summary>The metric over every image-label pair at once (scikit-learn's micro average of a ranking metric).</summary>
    private static double Pooled(Func<IReadOnlyList<double>, IReadOnlyList<bool>, double> metric, bool[,] truth, float[,] scores) =>
        metric(scores.Cast<float>().Select(v => (double)v).ToArray(), truth.Cast<bool>().ToArray());
}
