using System.Globalization;
using System.Text.Json;
using Podium.Evaluation;

namespace Podium.Tests;

/// <summary>
/// Every metric against scikit-learn 1.2 within 1e-9: Fixtures/sklearn/make_metrics.py computed the
/// values on random and edge cases (a class never predicted, a class absent from the truth, tied
/// scores, ordinal grades, multi-label) and stored them with the inputs.
/// </summary>
public class MetricReferenceTests
{
    private const double Tolerance = 1e-9;
    private static readonly JsonElement Reference = JsonDocument.Parse(File.ReadAllText(
        Path.Combine(TestEnv.RepoRoot, "tests", "Podium.Tests", "Fixtures", "sklearn", "metrics.json"))).RootElement;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Reference.GetProperty("multiclass").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static JsonElement Case(string name) => Reference.GetProperty("multiclass").EnumerateArray().Single(c
        => c.GetProperty("name").GetString() == name);

    private static float[,] Matrix(JsonElement rows)
    {
        var list = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => float.Parse(v.GetString()!,
            CultureInfo.InvariantCulture)).ToArray()).ToList();
        var m = new float[list.Count, list[0].Length];
        for (int i = 0; i < list.Count; i++)
            for (int j = 0; j < list[i].Length; j++) m[i, j] = list[i][j];
        return m;
    }

    private static double? Nullable(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    [Theory]
    [MemberData(nameof(Cases))]
    public void MulticlassMetricsMatchScikitLearn(string name)
    {
        var c = Case(name);
        var truth = c.GetProperty("truth").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var p = Matrix(c.GetProperty("probabilities"));
        void Check(string metric, double expected) => Assert.True(Math.Abs(Metrics.Compute(metric, truth, p) - expected) <= Tolerance,
            $"{name} {metric}: {Metrics.Compute(metric, truth, p):R} vs scikit-learn {expected:R}");

        Check("accuracy", c.GetProperty("accuracy").GetDouble());
        Check("top2_accuracy", c.GetProperty("top2").GetDouble());
        foreach (var avg in new[] { "macro", "micro", "weighted" })
        {
            var prf = c.GetProperty("prf").GetProperty(avg).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Check($"precision_{avg}", prf[0]);
            Check($"recall_{avg}", prf[1]);
            Check($"f1_{avg}", prf[2]);
        }
        Check("balanced_accuracy", c.GetProperty("balanced_accuracy").GetDouble());
        Check("kappa", c.GetProperty("kappa").GetDouble());
        Check("kappa_linear", c.GetProperty("kappa_linear").GetDouble());
        Check("kappa_quadratic", c.GetProperty("kappa_quadratic").GetDouble());
        Check("roc_auc", c.GetProperty("roc_auc_macro").GetDouble());
        Check("roc_auc_weighted", c.GetProperty("roc_auc_weighted").GetDouble());
        Check("pr_auc", c.GetProperty("pr_auc_macro").GetDouble());
        Check("log_loss", c.GetProperty("log_loss").GetDouble());
        Check("ece", c.GetProperty("ece").GetDouble());

        // Per class: precision, recall, F1, support, and the one-vs-rest curves (undefined where the truth has no positives).
        int k = p.GetLength(1);
        var pc = Metrics.PerClass(truth, ClassificationMetrics.ArgMax(p), k);
        var expected = c.GetProperty("per_class");
        for (int j = 0; j < k; j++)
        {
            Assert.Equal(expected.GetProperty("precision")[j].GetDouble(), pc.Precision[j], Tolerance);
            Assert.Equal(expected.GetProperty("recall")[j].GetDouble(), pc.Recall[j], Tolerance);
            Assert.Equal(expected.GetProperty("f1")[j].GetDouble(), pc.F1[j], Tolerance);
            Assert.Equal(expected.GetProperty("support")[j].GetInt32(), pc.Support[j]);
        }
        var roc = Metrics.OneVsRest(RankMetrics.RocAuc, truth, p);
        var ap = Metrics.OneVsRest(RankMetrics.AveragePrecision, truth, p);
        for (int j = 0; j < k; j++)
        {
            if (Nullable(c.GetProperty("roc_auc_per_class")[j]) is { } r) Assert.Equal(r, roc[j], Tolerance);
            else Assert.True(double.IsNaN(roc[j]));
            if (Nullable(c.GetProperty("pr_auc_per_class")[j]) is { } a) Assert.Equal(a, ap[j], Tolerance);
            else Assert.True(double.IsNaN(ap[j]));
        }
        // The older summary class agrees with the metric functions.
        var summary = new ClassificationMetrics(truth, ClassificationMetrics.ArgMax(p), Enumerable.Range(0,
            k).Select(i => $"c{i}").ToArray());
        Assert.Equal(Metrics.Compute("f1_macro", truth, p), summary.F1Macro, Tolerance);
    }

    private static bool[,] Indicators(JsonElement rows)
    {
        var r = rows.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32() == 1).ToArray()).ToList();
        var truth = new bool[r.Count, r[0].Length];
        for (int i = 0; i < r.Count; i++)
            for (int l = 0; l < r[i].Length; l++) truth[i, l] = r[i][l];
        return truth;
    }

    [Fact]
    public void MultiLabelMetricsMatchScikitLearn()
    {
        var c = Reference.GetProperty("multilabel");
        var truth = Indicators(c.GetProperty("truth"));
        var scores = Matrix(c.GetProperty("scores"));
        double threshold = c.GetProperty("threshold").GetDouble();
        void Check(string metric,
            double expected) => Assert.True(Math.Abs(MultiLabelMetrics.Compute(metric, truth, scores, threshold) - expected) <= Tolerance,
            $"{metric}: {MultiLabelMetrics.Compute(metric, truth, scores, threshold):R} vs scikit-learn {expected:R}");
        Check("subset_accuracy", c.GetProperty("subset_accuracy").GetDouble());
        Check("hamming_loss", c.GetProperty("hamming_loss").GetDouble());
        foreach (var avg in new[] { "micro", "macro", "weighted", "samples" }) Check($"f1_{avg}",
            c.GetProperty("f1").GetProperty(avg).GetDouble());
        Check("precision_micro", c.GetProperty("precision_micro").GetDouble());
        Check("recall_micro", c.GetProperty("recall_micro").GetDouble());
        Check("roc_auc", c.GetProperty("roc_auc").GetProperty("macro").GetDouble());
        Check("roc_auc_micro", c.GetProperty("roc_auc").GetProperty("micro").GetDouble());
        Check("roc_auc_weighted", c.GetProperty("roc_auc").GetProperty("weighted").GetDouble());
        Check("pr_auc", c.GetProperty("pr_auc").GetProperty("macro").GetDouble());
        Check("pr_auc_micro", c.GetProperty("pr_auc").GetProperty("micro").GetDouble());
        Check("pr_auc_weighted", c.GetProperty("pr_auc").GetProperty("weighted").GetDouble());
        Check("accuracy", c.GetProperty("subset_accuracy").GetDouble()); // accuracy_score of indicator matrices
        Check("log_loss", c.GetProperty("log_loss").GetDouble());
    }

    [Fact]
    public void PerLabelThresholdsForMacroF1AreEachLabelsBestF1Threshold()
    {
        var c = Reference.GetProperty("multilabel");
        var truth = Indicators(c.GetProperty("truth"));
        var tuned = LabelThresholds.Tune(truth, Matrix(c.GetProperty("scores")), ["a", "b", "c", "d"], "f1_macro");
        Assert.Equal(c.GetProperty("f1_macro_thresholds").EnumerateArray().Select(v => v.GetDouble()).ToArray(), tuned.Thresholds, (x,
            y) => Math.Abs(x - y) < 1e-12);
        Assert.True(Math.Abs(tuned.After - c.GetProperty("f1_macro_tuned").GetDouble()) <= Tolerance,
            $"{tuned.After} vs {c.GetProperty("f1_macro_tuned").GetDouble()}");
        Assert.True(Math.Abs(tuned.Before - c.GetProperty("f1").GetProperty("macro").GetDouble()) <= Tolerance);
        Assert.Contains("rankings",
            Assert.Throws<PodiumException>(() => LabelThresholds.Tune(truth, Matrix(c.GetProperty("scores")), ["a", "b", "c", "d"],
            "roc_auc")).Message);
    }

    [Fact]
    public void UnknownMetricNamesAreConfigErrors()
    {
        var e = Assert.Throws<ConfigException>(() => Metrics.Compute("f2_macro", [0, 1], new float[,] { { 0.6f, 0.4f }, { 0.3f, 0.7f } }));
        Assert.Contains("unknown metric 'f2_macro'", e.Message);
    }
}
