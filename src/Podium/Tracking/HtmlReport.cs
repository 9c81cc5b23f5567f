using System.Globalization;
using System.Text.Json;

namespace Podium.Tracking;

/// <summary>report.html: one self-contained page (PNGs inlined) with the run's summary, curves,
/// per-epoch table, evaluation and config.</summary>
public static class HtmlReport
{
    public static void Write(RunDirectory run, string? extraHtml = null)
    {
        string name = (File.Exists(run.Config) ? Config.ConfigLoader.Load(run.Config).Name : null) ?? Path.GetFileName(run.Root);
        var page = new HtmlPage($"Podium run {name}");
        if (File.Exists(run.Summary))
        {
            using var summary = JsonDocument.Parse(File.ReadAllText(run.Summary));
            var s = summary.RootElement;
            if (s.TryGetProperty("best", out var best) && best.ValueKind == JsonValueKind.Object && File.Exists(run.ValPerImage))
            {
                var named = best.GetProperty("extra");
                page.Raw($"<p class=big>Best epoch {s.GetProperty("best_epoch")}: validation hmean <b>{F(named, "val_hmean")}</b> " +
                         $"(precision {F(named, "val_precision")}, recall {F(named, "val_recall")}; ICDAR 2015 protocol)</p>");
            }
            else if (s.TryGetProperty("best", out best) && best.ValueKind == JsonValueKind.Object)
                page.Raw($"<p class=big>Best epoch {s.GetProperty("best_epoch")}: validation accuracy <b>{F(best, "val_accuracy")}</b>, " +
                         $"macro F1 <b>{F(best, "val_f1_macro")}</b>, loss {F(best, "val_loss")}</p>");
            page.Paragraph($"{s.GetProperty("epochs_done")} epochs in {s.GetProperty("total_seconds")} s " +
                           $"(mean {s.GetProperty("mean_epoch_seconds")} s per epoch).");
        }
        if (extraHtml is not null) page.Raw(extraHtml);
        page.Image(run.CurvesPlot, "Loss and learning rate per step");
        page.Image(Path.Combine(run.Plots, "validation.png"), "Per epoch");
        page.Image(Path.Combine(run.Plots, "class_distribution.png"), "Classes seen per epoch");
        if (File.Exists(run.Epochs)) page.Table(File.ReadAllLines(run.Epochs).Select(l => l.Split(',')).ToList(), "Epochs");
        if (File.Exists(run.ValPerImage))
        {
            // Text detection: where the best checkpoint fails, as pictures and as the lowest rows of the per-image table.
            page.Image(run.ValDetectionsPlot, "Validation images, worst (red captions) and best: truth blue (don't-care grey), detections green");
            var rows = File.ReadAllLines(run.ValPerImage).Select(l => l.Split(',')).ToList();
            int hmean = Array.IndexOf(rows[0], "hmean");
            page.Table([rows[0], .. rows.Skip(1).OrderBy(r => double.Parse(r[hmean], CultureInfo.InvariantCulture)).Take(12)],
                $"The 12 validation images with the lowest hmean (all {rows.Count - 1}: {Path.GetFileName(run.ValPerImage)})");
        }
        if (File.Exists(run.Evaluation))
        {
            using var ev = JsonDocument.Parse(File.ReadAllText(run.Evaluation));
            var e = ev.RootElement;
            page.Heading($"Evaluation on {e.GetProperty("data").GetString() ?? ""}");
            bool multiLabel = e.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty("hamming_loss", out _);
            page.Raw($"<p>{e.GetProperty("count")} images, {(multiLabel ? "subset accuracy" : "accuracy")} <b>{F(e, "accuracy")}</b>, macro F1 <b>{F(e, "f1_macro")}</b>, log loss {F(e, "log_loss")}</p>");
            var rows = new List<string[]> { new[] { "class", "precision", "recall", "F1", "support" } };
            foreach (var c in e.GetProperty("per_class").EnumerateArray())
                rows.Add([c.GetProperty("name").GetString() ?? "", F(c, "precision"), F(c, "recall"), F(c, "f1"), c.GetProperty("support").ToString()]);
            page.Table(rows);
            if (e.TryGetProperty("tta", out var tta) && tta.ValueKind == JsonValueKind.Object)
                page.Paragraph($"Test-time augmentation {tta.GetProperty("spec").GetString()} ({tta.GetProperty("views")} views, {tta.GetProperty("merge").GetString()}): " +
                               $"{tta.GetProperty("metric").GetString()} {F(tta, "plain")} without, {F(tta, "merged")} with.");
            if (File.Exists(run.Thresholds))
            {
                using var th = JsonDocument.Parse(File.ReadAllText(run.Thresholds));
                bool perLabel = th.RootElement.TryGetProperty("thresholds", out var values);
                if (!perLabel) values = th.RootElement.GetProperty("weights");
                page.Paragraph($"Per-{(perLabel ? "label thresholds" : "class thresholds")} (thresholds.json, applied by predict) for {th.RootElement.GetProperty("metric").GetString()}: " +
                               $"{F(th.RootElement, "before")} -> {F(th.RootElement, "after")} on validation; {(perLabel ? "thresholds" : "weights")} " +
                               string.Join(", ", values.EnumerateObject().Select(w => $"{w.Name} {w.Value.GetDouble():0.###}")) + ".");
            }
            if (e.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object)
                page.Table([["metric", "value"], .. metrics.EnumerateObject().Select(p => (IReadOnlyList<string>)[p.Name, F(metrics, p.Name)])], "All metrics");
            page.Image(run.ConfusionPlot);
            page.Image(run.LabelScoresPlot, "Per label: precision, recall and F1 at 0.5");
            page.Image(run.MistakesPlot, multiLabel
                ? "The most confident mistakes (the worst label: + predicted but absent, - missed, its probability, how many labels are wrong; the true labels)"
                : "The most confident mistakes (predicted class and probability; the true class and its probability)");
            page.Image(run.UnsureCorrectPlot, "The least confident correct predictions");
            if (File.Exists(run.Errors)) page.Paragraph($"Every mistake: {Path.GetFileName(run.Errors)} ({File.ReadLines(run.Errors).Count() - 1} rows).");
        }
        if (File.Exists(run.Skipped)) page.Heading("Skipped inputs").Pre(File.ReadAllText(run.Skipped));
        if (File.Exists(run.Config)) page.Heading("Config (resolved)").Pre(File.ReadAllText(run.Config));
        page.Save(run.Report);
    }

    private static string F(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("F4", CultureInfo.InvariantCulture) : "-";
}
