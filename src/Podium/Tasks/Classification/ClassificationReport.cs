using System.Text.Json;
using Podium.Reporting;
using Podium.Tracking;
using static Podium.Tasks.ReportNumbers;

namespace Podium.Tasks.Classification;

/// <summary>Classification's part of report.html: the headline, the evaluation (per class, all metrics, thresholds, TTA), the confusion
/// matrix or per-label scores and the error galleries.</summary>
public static class ClassificationReport
{
    public static string Headline(int bestEpoch, JsonElement best) =>
        $"<p class=big>Best epoch {bestEpoch}: validation accuracy <b>{F(best, "val_accuracy")}</b>, macro F1 " +
            $"<b>{F(best, "val_f1_macro")}</b>, loss {F(best, "val_loss")}</p>";

    public static void Write(RunDirectory run, HtmlPage page)
    {
        if (!File.Exists(run.Evaluation)) return;
        using var ev = JsonDocument.Parse(File.ReadAllText(run.Evaluation));
        var e = ev.RootElement;
        page.Heading($"Evaluation on {e.GetProperty("data").GetString() ?? ""}");
        bool multiLabel = e.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty("hamming_loss",
            out _);
        page.Raw($"<p>{e.GetProperty("count")} images, {(multiLabel ? "subset accuracy" : "accuracy")} <b>{F(e, "accuracy")}</b>, macro " +
            $"F1 <b>{F(e, "f1_macro")}</b>, log loss {F(e, "log_loss")}</p>");
        var rows = new List<string[]> { new[] { "class", "precision", "recall", "F1", "support" } };
        foreach (var c in e.GetProperty("per_class").EnumerateArray())
            rows.Add([c.GetProperty("name").GetString() ?? "", F(c, "precision"), F(c, "recall"), F(c, "f1"),
                c.GetProperty("support").ToString()]);
        page.Table(rows);
        if (e.TryGetProperty("tta", out var tta) && tta.ValueKind == JsonValueKind.Object)
            page.Paragraph($"Test-time augmentation {tta.GetProperty("spec").GetString()} ({tta.GetProperty("views")} views, " +
                $"{tta.GetProperty("merge").GetString()}): " +
                           $"{tta.GetProperty("metric").GetString()} {F(tta, "plain")} without, {F(tta, "merged")} with.");
        if (File.Exists(run.Thresholds))
        {
            using var th = JsonDocument.Parse(File.ReadAllText(run.Thresholds));
            bool perLabel = th.RootElement.TryGetProperty("thresholds", out var values);
            if (!perLabel) values = th.RootElement.GetProperty("weights");
            page.Paragraph($"Per-{(perLabel ? "label thresholds" : "class thresholds")} (thresholds.json, applied by predict) for " +
                $"{th.RootElement.GetProperty("metric").GetString()}: " +
                           $"{F(th.RootElement, "before")} -> {F(th.RootElement, "after")} on validation; " +
                               $"{(perLabel ? "thresholds" : "weights")} " +
                           string.Join(", ", values.EnumerateObject().Select(w => $"{w.Name} {w.Value.GetDouble():0.###}")) + ".");
        }
        if (e.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object)
            page.Table([["metric", "value"], .. metrics.EnumerateObject().Select(p => (IReadOnlyList<string>)[p.Name, F(metrics, p.Name)])],
                "All metrics");
        page.Image(run.ConfusionPlot);
        page.Image(run.LabelScoresPlot, "Per label: precision, recall and F1 at 0.5");
        page.Image(run.MistakesPlot, multiLabel
            ? "The most confident mistakes (the worst label: + predicted but absent, - missed, its probability, how many labels are " +
                "wrong; the true labels)"
            : "The most confident mistakes (predicted class and probability; the true class and its probability)");
        page.Image(run.UnsureCorrectPlot, "The least confident correct predictions");
        if (File.Exists(run.Errors)) page.Paragraph($"Every mistake: {Path.GetFileName(run.Errors)} " +
            $"({File.ReadLines(run.Errors).Count() - 1} rows).");
    }
}
