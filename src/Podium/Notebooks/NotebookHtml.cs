using OpenCvSharp;
using Podium.Eda;
using Podium.Evaluation;
using Podium.Reporting;
using Podium.Tasks.Classification;
using static Podium.Platform.Invariant;

namespace Podium.Notebooks;

/// <summary>
/// Podium's objects as HTML fragments for notebooks: the package's .NET Interactive extension (Interactive/extension.dib)
/// registers these as the text/html formatters of images, classification metrics and EDA summaries, so a cell that ends
/// with one shows it inline.
/// </summary>
public static class NotebookHtml
{
    /// <summary>An image as OpenCV keeps it (BGR, or grey; what Cv2.ImRead and Podium's drawing return), as an inline PNG no
    /// larger than <paramref name="maxSide"/> pixels on its long side.</summary>
    public static string Image(Mat bgr, int maxSide = 800)
    {
        if (bgr.Empty()) return "<p>(empty image)</p>";
        double scale = Math.Min(1.0, (double)maxSide / Math.Max(bgr.Width, bgr.Height));
        using var shown = scale < 1 ? bgr.Resize(new Size(0, 0), scale, scale, InterpolationFlags.Area) : bgr.Clone();
        Cv2.ImEncode(".png", shown, out var png);
        return HtmlPage.Fragment().Png(png, F($"{bgr.Width}x{bgr.Height}")).Body;
    }

    /// <summary>Accuracy and macro F1, the per-class table and the confusion matrix, its cells shaded by their share of the
    /// true class's row.</summary>
    public static string Metrics(ClassificationMetrics m) =>
        Scores(F($"accuracy {m.Accuracy:F4}</b>, macro F1 {m.F1Macro:F4}, {m.Count} images"), m.PerClass, (t, p) => m.Confusion[t, p]);

    /// <summary>A run's evaluation (<c>RunEvaluator.Evaluate</c>, a training's outcome) as <see cref="Metrics"/> shows it; a
    /// multi-label run's labels with their tn, fp, fn and tp instead of a matrix.</summary>
    public static string Evaluation(EvaluationResult e)
    {
        var head = F($"accuracy {e.Accuracy:F4}</b>, macro F1 {e.F1Macro:F4}, log loss {e.LogLoss:F4}, {e.Count} images of ")
            + HtmlPage.E(e.Data);
        if (e.Confusion.Length == e.Classes.Count && e.Confusion.All(r => r.Length == e.Classes.Count))
            return Scores(head, e.PerClass, (t, p) => e.Confusion[t][p]);
        var rows = new List<IReadOnlyList<string>> { new[] { "label", "tn", "fp", "fn", "tp" } };
        rows.AddRange(e.Classes.Select((c, i) => (IReadOnlyList<string>)[c, .. e.Confusion[i].Select(v => F($"{v}"))]));
        return Scores(head, e.PerClass, null) + HtmlPage.Fragment().Table(rows).Body;
    }

    private static string Scores(string head, IReadOnlyList<ClassScore> perClass, Func<int, int, int>? confusion)
    {
        var page = HtmlPage.Fragment().Raw($"<p><b>{head}</p>");
        var rows = new List<IReadOnlyList<string>> { new[] { "class", "precision", "recall", "F1", "support" } };
        rows.AddRange(perClass.Select(c => (IReadOnlyList<string>)[c.Name, F($"{c.Precision:F3}"), F($"{c.Recall:F3}"),
            F($"{c.F1:F3}"), F($"{c.Support}")]));
        page.Table(rows);
        return confusion is null ? page.Body : page.Raw(Confusion(perClass, confusion)).Body;
    }

    private static string Confusion(IReadOnlyList<ClassScore> classes, Func<int, int, int> cell)
    {
        int k = classes.Count;
        var html = new System.Text.StringBuilder("<table><caption>confusion matrix (row: true class, column: predicted)</caption>")
            .Append("<tr><th></th>");
        foreach (var c in classes) html.Append($"<th>{HtmlPage.E(c.Name)}</th>");
        html.Append("</tr>");
        for (int t = 0; t < k; t++)
        {
            html.Append($"<tr><th>{HtmlPage.E(classes[t].Name)}</th>");
            int support = Math.Max(1, classes[t].Support);
            for (int p = 0; p < k; p++)
            {
                int n = cell(t, p);
                double share = (double)n / support;
                // Blue on the diagonal, red off it; the stronger, the larger the share of the row.
                var colour = t == p ? F($"rgba(40,110,200,{share:F2})") : F($"rgba(210,50,40,{share:F2})");
                html.Append(F($"<td style=\"background:{colour}\">{n}</td>"));
            }
            html.Append("</tr>");
        }
        return html.Append("</table>").ToString();
    }

    /// <summary>An EDA summary's key figures and its classes.</summary>
    public static string Eda(EdaSummary s)
    {
        static string D(Distribution d) => F($"{d.Min:0.##} / {d.Median:0.##} / {d.Max:0.##}");
        var figures = new List<IReadOnlyList<string>>
        {
            new[] { "", "" },
            new[] { "data", s.Data },
            new[] { "images (skipped)", F($"{s.Images} ({s.Skipped})") },
            new[] { "classes (imbalance max/min)", F($"{s.Classes.Count} ({s.ImbalanceRatio:F2})") },
            new[] { "width min / median / max", D(s.Width) },
            new[] { "height min / median / max", D(s.Height) },
            new[] { "duplicates: exact, near pairs", F($"{s.Duplicates.ExactPairs}, {s.Duplicates.NearPairs}") },
            new[] { "conflicting labels among duplicates", F($"{s.Duplicates.ConflictingLabels}") },
            new[] { "suspicious files", F($"{s.Suspicious.Count}") },
        };
        if (s.Test is not null)
            figures.Add(new[] { "test images; leaked pairs", F($"{s.TestImages}; {s.Leakage.ExactPairs + s.Leakage.NearPairs}") });
        var classes = new List<IReadOnlyList<string>> { new[] { "class", "images", "share" } };
        classes.AddRange(s.Classes.Select(c => (IReadOnlyList<string>)[c.Name, F($"{c.Count}"), F($"{c.Share:P1}")]));
        return HtmlPage.Fragment().Table(figures).Table(classes).Body;
    }
}
