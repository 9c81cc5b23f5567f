using System.Globalization;
using Podium.Reporting;
using static Podium.Platform.Invariant;

namespace Podium.Eda;

/// <summary>report.html of `podium eda`: every table of eda.json with its pictures, on one page.</summary>
public static class EdaReport
{
    public static void Write(EdaSummary s, string outDir)
    {
        string plots = Path.Combine(outDir, "plots");
        string P(string name) => Path.Combine(plots, name);
        var page = new HtmlPage($"Podium EDA: {Path.GetFileName(s.Data.TrimEnd('/'))}");
        page.Paragraph(F($"{s.Data}: {s.Kind} data, {s.Images} readable images, {s.Skipped} left out") +
                       (s.Test is null ? "" : F($"; test {s.Test}: {s.TestImages} images")) +
                       F($". Scanned on {s.Threads} threads in {s.Seconds:F1} s."));

        if (s.Classes.Count > 0)
        {
            page.Table([["class", "images", "share"], .. s.Classes.Select(c => new[] { c.Name, I(c.Count), F($"{c.Share * 100:F1}%") })],
                "Classes");
            page.Raw(F($"<p>Imbalance ratio (largest / smallest class): <b>{s.ImbalanceRatio:F2}</b></p>"));
            page.Image(P("classes.png"));
        }

        page.Heading("Normalisation");
        page.Raw($"<p>Per-channel statistics of all pixels (RGB, 0..1), ready for the config:</p><pre>data:\n  mean: " +
            $"[{Join(s.Normalize.Mean)}]\n  std: [{Join(s.Normalize.Std)}]</pre>" +
                 "<p>or <code>data.normalize: auto</code> with <code>data.stats: eda.json</code>.</p>");

        page.Table([Header, Row("width (px)", s.Width), Row("height (px)", s.Height), Row("aspect (w/h)", s.Aspect), Row("file size (KB)",
            s.FileKb)], "Sizes");
        page.Table([["channels", "images"], .. s.Channels.Select(kv => new[] { kv.Key, I(kv.Value) })]);
        page.Table([["format", "images"], .. s.Formats.Select(kv => new[] { kv.Key, I(kv.Value) })]);
        page.Image(P("sizes.png")).Image(P("dimensions.png")).Image(P("aspect.png"));

        page.Heading("Brightness, contrast and sharpness");
        page.Table([["group", "brightness median", "brightness p5..p95", "contrast median", "contrast p5..p95", "sharpness median"],
            .. s.PerClass.Select(c => new[] { c.Name, F($"{c.Brightness.Median:F3}"), F($"{c.Brightness.P5:F3}..{c.Brightness.P95:F3}"),
                F($"{c.Contrast.Median:F3}"), F($"{c.Contrast.P5:F3}..{c.Contrast.P95:F3}"), F($"{c.Sharpness.Median:F0}") })]);
        page.Image(P("brightness.png")).Image(P("contrast.png")).Image(P("sharpness.png"));

        page.Image(P("samples.png"), s.Kind == "classification" ? "Samples per class" : "Samples");

        Pairs(page, "Duplicates within the data", s.Duplicates, P("duplicates.png"),
            "the same picture more than once: it weighs double in training and, split across train and validation, inflates the " +
                "validation score");
        if (s.Test is not null)
            Pairs(page, "Leakage: train images also in the test set", s.Leakage, P("leakage.png"),
                "a test image that is also a training image is scored on memory, not on generalisation");

        page.Heading($"Suspicious files ({s.Suspicious.Count})");
        if (s.Suspicious.Count == 0)
            page.Paragraph("None: every file decodes, none is tiny, blank, extremely elongated or grayscale stored as colour.");
        else
            foreach (var kind in s.Suspicious.GroupBy(p => Kind(p.Problem)))
            {
                page.Raw($"<h3>{HtmlPage.E(kind.Key)}: {kind.Count()}</h3>");
                page.Table([["file", "problem"], .. kind.Take(30).Select(p => new[] { p.Path, p.Problem })]);
                if (kind.Count() > 30) page.Paragraph($"... and {kind.Count() - 30} more in eda.json.");
            }

        if (s.Text is { } t)
        {
            page.Heading("Text regions");
            page.Raw(string.Create(CultureInfo.InvariantCulture,
                $"<p>{t.Regions} regions ({t.DontCare} marked ### = don't care), {t.TinyRegions} thinner than the tiny threshold, " +
                $"{t.RegionsOutsideImage} reaching outside their image.</p>"));
            page.Table([Header, Row("regions per image", t.RegionsPerImage), Row("width (px)", t.Width), Row("height (px)", t.Height),
                Row("aspect (w/h)", t.Aspect), Row("angle (degrees)", t.AngleDegrees)]);
            page.Table([["orientation", "regions"], .. t.Orientation.Select(kv => new[] { kv.Key, I(kv.Value) })]);
            foreach (var name in new[] { "text_regions", "text_height", "text_width", "text_aspect",
                "text_angle" }) page.Image(P(name + ".png"));
        }
        page.Save(Path.Combine(outDir, "report.html"));
    }

    private static void Pairs(HtmlPage page, string title, DuplicateStats d, string png, string why)
    {
        page.Heading($"{title} ({d.ExactPairs} identical, {d.NearPairs} near)");
        if (d.Pairs.Count == 0) { page.Paragraph("None found."); return; }
        page.Raw($"<p class=warn>{d.Groups} groups, {d.RedundantImages} redundant images: {HtmlPage.E(why)}.</p>");
        if (d.ConflictingLabels > 0)
            page.Raw($"<p class=warn><b>{d.ConflictingLabels} pairs carry different labels</b>: the same picture in two classes is label " +
                $"noise; fix or drop one.</p>");
        page.Image(png);
        page.Table([["A", "B", "kind (labels)", "hash distance", "similarity"],
            .. d.Pairs.Take(200).Select(p => new[] { p.A.Path, p.B.Path,
                (p.Exact ? "identical" : p.Recoloured ? "near, recoloured" : "near") + (p.A.Label != p.B.Label
                ? $" ({p.A.Label} vs {p.B.Label})" : ""), I(p.HashDistance), F($"{p.Similarity:F4}") })]);
        if (d.Pairs.Count > 200) page.Paragraph($"... and {d.Pairs.Count - 200} more pairs in eda.json.");
    }

    /// <summary>The problem without its particulars ("tiny: 20x30 (under 32 px)" is a "tiny" problem).</summary>
    private static string Kind(string problem) => problem.Split([':', '('])[0].Trim();

    private static readonly string[] Header = ["", "min", "p5", "median", "mean", "p95", "max"];

    private static string[] Row(string name, Distribution d) =>
        [name, G(d.Min), G(d.P5), G(d.Median), G(d.Mean), G(d.P95), G(d.Max)];

    private static string G(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Join(double[] v) => string.Join(", ", v.Select(x => x.ToString("0.####", CultureInfo.InvariantCulture)));
}
