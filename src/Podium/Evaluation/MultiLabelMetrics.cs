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
    /// <summary>Every metric, registered once: its name, whether lower is better, and how it is computed.</summary>
    private static readonly (string Name, bool LowerIsBetter, Func<LabelCounts, double> Compute)[] Registered =
    [
        ("accuracy", false, c => c.SubsetAccuracy()),
        ("subset_accuracy", false, c => c.SubsetAccuracy()),
        ("hamming_loss", true, c => c.N == 0 ? 0 : (c.Fp.Sum() + c.Fn.Sum()) / ((double)c.N * c.Labels)),
        ("log_loss", true, c => LogLoss(c.Truth, c.Scores)),
        ("f1_micro", false, c => LabelCounts.F1(c.Tp.Sum(), c.Fp.Sum(), c.Fn.Sum())),
        ("f1_macro", false, c => c.F1s().Average()),
        ("f1_weighted", false, c => c.Weighted(c.F1s())),
        ("f1_samples", false, c => c.SamplesF1()),
        ("precision_micro", false, c => c.Tp.Sum() + c.Fp.Sum() == 0 ? 0 : c.Tp.Sum() / (double)(c.Tp.Sum() + c.Fp.Sum())),
        ("recall_micro", false, c => c.Tp.Sum() + c.Fn.Sum() == 0 ? 0 : c.Tp.Sum() / (double)(c.Tp.Sum() + c.Fn.Sum())),
        ("roc_auc", false, c => LabelCounts.Mean(PerLabelRanking(RankMetrics.RocAuc, c.Truth, c.Scores))),
        ("roc_auc_micro", false, c => Pooled(RankMetrics.RocAuc, c.Truth, c.Scores)),
        ("roc_auc_weighted", false, c => c.Weighted(PerLabelRanking(RankMetrics.RocAuc, c.Truth, c.Scores))),
        ("pr_auc", false, c => LabelCounts.Mean(PerLabelRanking(RankMetrics.AveragePrecision, c.Truth, c.Scores))),
        ("pr_auc_micro", false, c => Pooled(RankMetrics.AveragePrecision, c.Truth, c.Scores)),
        ("pr_auc_weighted", false, c => c.Weighted(PerLabelRanking(RankMetrics.AveragePrecision, c.Truth, c.Scores))),
    ];

    /// <summary>Metric names, with whether lower is better.</summary>
    public static readonly IReadOnlyDictionary<string, bool> Names = Registered.ToDictionary(m => m.Name, m => m.LowerIsBetter);

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
        var c = new LabelCounts(truth, scores, Decide(scores, thresholds));
        return labels.Select((name, l) =>
        {
            double p = c.Tp[l] + c.Fp[l] == 0 ? 0 : c.Tp[l] / (double)(c.Tp[l] + c.Fp[l]);
            double r = c.Tp[l] + c.Fn[l] == 0 ? 0 : c.Tp[l] / (double)(c.Tp[l] + c.Fn[l]);
            return new ClassScore(name, p, r, LabelCounts.F1(c.Tp[l], c.Fp[l], c.Fn[l]), (int)c.Support[l]);
        }).ToList();
    }

    public static double Compute(string name, bool[,] truth, float[,] scores, IReadOnlyList<double> thresholds)
    {
        var metric = Registered.FirstOrDefault(m => m.Name == name).Compute
            ?? throw new ConfigException($"unknown multi-label metric '{name}' ({string.Join(", ", Names.Keys)})");
        return metric(new LabelCounts(truth, scores, Decide(scores, thresholds)));
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
