using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Podium.Tracking;

/// <summary>report.html: one self-contained page (PNGs inlined) with the run's summary, curves,
/// per-epoch table, evaluation and config.</summary>
public static class HtmlReport
{
    public static void Write(RunDirectory run, string? extraHtml = null)
    {
        var html = new StringBuilder();
        string name = (File.Exists(run.Config) ? Config.ConfigLoader.Load(run.Config).Name : null) ?? Path.GetFileName(run.Root);
        html.Append($$"""
            <!doctype html><html><head><meta charset="utf-8"><title>Podium run {{E(name)}}</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}
            th{background:#f0f3f7}td:first-child,th:first-child{text-align:left}img{max-width:100%;border:1px solid #ddd}
            pre{background:#f7f7f7;padding:1em;overflow:auto}.big{font-size:1.4em}
            </style></head><body><h1>Podium run <code>{{E(name)}}</code></h1>
            """);
        if (File.Exists(run.Summary))
        {
            using var summary = JsonDocument.Parse(File.ReadAllText(run.Summary));
            var s = summary.RootElement;
            if (s.TryGetProperty("best", out var best) && best.ValueKind == JsonValueKind.Object)
                html.Append($"<p class=big>Best epoch {s.GetProperty("best_epoch")}: validation accuracy <b>{F(best, "val_accuracy")}</b>, " +
                            $"macro F1 <b>{F(best, "val_f1_macro")}</b>, loss {F(best, "val_loss")}</p>");
            html.Append($"<p>{s.GetProperty("epochs_done")} epochs in {s.GetProperty("total_seconds")} s " +
                        $"(mean {s.GetProperty("mean_epoch_seconds")} s per epoch).</p>");
        }
        if (extraHtml is not null) html.Append(extraHtml);
        Image(html, run.CurvesPlot, "Loss and learning rate per step");
        Image(html, Path.Combine(run.Plots, "validation.png"), "Per epoch");
        if (File.Exists(run.Epochs)) Table(html, "Epochs", File.ReadAllLines(run.Epochs).Select(l => l.Split(',')).ToList());
        if (File.Exists(run.Evaluation))
        {
            using var ev = JsonDocument.Parse(File.ReadAllText(run.Evaluation));
            var e = ev.RootElement;
            html.Append($"<h2>Evaluation on {E(e.GetProperty("data").GetString() ?? "")}</h2><p>{e.GetProperty("count")} images, " +
                        $"accuracy <b>{F(e, "accuracy")}</b>, macro F1 <b>{F(e, "f1_macro")}</b>, log loss {F(e, "log_loss")}</p>");
            var rows = new List<string[]> { new[] { "class", "precision", "recall", "F1", "support" } };
            foreach (var c in e.GetProperty("per_class").EnumerateArray())
                rows.Add([c.GetProperty("name").GetString() ?? "", F(c, "precision"), F(c, "recall"), F(c, "f1"), c.GetProperty("support").ToString()]);
            Table(html, null, rows);
            Image(html, run.ConfusionPlot, null);
        }
        if (File.Exists(run.Skipped))
            html.Append($"<h2>Skipped inputs</h2><pre>{E(File.ReadAllText(run.Skipped))}</pre>");
        if (File.Exists(run.Config))
            html.Append($"<h2>Config (resolved)</h2><pre>{E(File.ReadAllText(run.Config))}</pre>");
        html.Append("</body></html>");
        AtomicFile.WriteAllText(run.Report, html.ToString());
    }

    private static void Image(StringBuilder html, string path, string? title)
    {
        if (!File.Exists(path)) return;
        if (title is not null) html.Append($"<h2>{E(title)}</h2>");
        html.Append($"<img alt=\"{E(Path.GetFileName(path))}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(path))}\">");
    }

    private static void Table(StringBuilder html, string? title, List<string[]> rows)
    {
        if (title is not null) html.Append($"<h2>{E(title)}</h2>");
        html.Append("<table>");
        for (int i = 0; i < rows.Count; i++)
        {
            string tag = i == 0 ? "th" : "td";
            html.Append("<tr>").Append(string.Concat(rows[i].Select(c => $"<{tag}>{E(c)}</{tag}>"))).Append("</tr>");
        }
        html.Append("</table>");
    }

    private static string F(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("F4", CultureInfo.InvariantCulture) : "-";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
