using Podium.IO;
using Podium.Training;
using ScottPlot;

namespace Podium.Reporting;

/// <summary>The PNGs people would rather see than read.</summary>
public static class Plots
{
    /// <summary>Loss (raw and smoothed) on the left axis and learning rate on the right, against step.</summary>
    public static void LossAndLearningRate(IReadOnlyList<StepRecord> steps, string path, IReadOnlyList<string>? parts = null)
    {
        if (steps.Count == 0) return;
        var plot = new Plot();
        double[] x = steps.Select(s => (double)s.Step).ToArray();
        double[] loss = steps.Select(s => s.Loss).ToArray();
        AddLine(plot, x, loss, "loss", Colors.SteelBlue.WithAlpha(0.35), 1, right: false, markers: false);
        AddLine(plot, x, Smooth(loss, 0.9), "loss (smoothed)", Colors.SteelBlue, 2, right: false, markers: false);
        // The loss's parts (smoothed, unweighted) show which one a bad setting disturbs.
        Color[] partColors = [Colors.SeaGreen, Colors.MediumPurple, Colors.DarkGoldenRod, Colors.Gray];
        for (int k = 0; k < (parts?.Count ?? 0); k++)
        {
            int part = k;
            // a run resumed from before parts were logged has gaps
            var logged = steps.Where(s => s.Parts is { } p && part < p.Count).ToList();
            if (logged.Count == 0) continue;
            AddLine(plot, [.. logged.Select(s => (double)s.Step)], Smooth([.. logged.Select(s => s.Parts![part])], 0.9),
                parts![k] + " (smoothed)",
                partColors[k % partColors.Length], 1.5f, right: false, markers: false);
        }
        AddLine(plot, x, steps.Select(s => s.Lr).ToArray(), "learning rate", Colors.OrangeRed, 2, right: true, markers: false);
        plot.Axes.Left.Label.Text = "training loss";
        plot.Axes.Right.Label.Text = "learning rate";
        plot.Axes.Bottom.Label.Text = "step";
        plot.Title("Loss and learning rate per step");
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, 1000, 520);
    }

    /// <summary>Several runs' values of one figure overlaid (the runs store's comparison): each run a colour, its raw values
    /// faint and its smoothed ones (<paramref name="smoothing"/>, TensorBoard's EMA; 0: none) solid; log10 of the values when
    /// <paramref name="log"/> (non-positive values are left out there).</summary>
    public static void Overlaid(IReadOnlyList<(string Label, IReadOnlyList<(double X, double Y)> Points)> series, string figure,
        string xLabel, double smoothing, bool log, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < series.Count; i++)
        {
            var points = series[i].Points.Where(p => double.IsFinite(p.Y) && (!log || p.Y > 0)).ToList();
            if (points.Count == 0) continue;
            double[] x = [.. points.Select(p => p.X)], y = [.. points.Select(p => log ? Math.Log10(p.Y) : p.Y)];
            var color = palette.GetColor(i);
            var markers = points.Count < 50; // a few epochs: points; thousands of steps: lines
            if (smoothing > 0 && points.Count > 1)
            {
                AddLine(plot, x, y, "", color.WithAlpha(0.3), 1, right: false, markers: markers);
                AddLine(plot, x, Smooth(y, smoothing), series[i].Label, color, 2, right: false, markers: false);
            }
            else AddLine(plot, x, y, series[i].Label, color, 2, right: false, markers: markers);
        }
        plot.Axes.Left.Label.Text = log ? $"log10 {figure}" : figure;
        plot.Axes.Bottom.Label.Text = xLabel;
        plot.Title($"{figure} by {xLabel}" + (smoothing > 0 ? $" (smoothed {smoothing:0.##})" : ""));
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, 1000, 560);
    }

    /// <summary>The lr range test: loss (raw and smoothed) against lr on a log axis, the suggestion marked.</summary>
    public static void LrRangeTest(IReadOnlyList<double> lrs, IReadOnlyList<double> losses, IReadOnlyList<double> smoothed,
        double suggested, double minOverTen, string path)
    {
        var plot = new Plot();
        double[] x = lrs.Select(Math.Log10).ToArray();
        AddLine(plot, x, [.. losses], "loss", Colors.SteelBlue.WithAlpha(0.35), 1, right: false, markers: false);
        AddLine(plot, x, [.. smoothed], "loss (smoothed)", Colors.SteelBlue, 2, right: false, markers: false);
        var steep = plot.Add.VerticalLine(Math.Log10(suggested));
        steep.Color = Colors.OrangeRed;
        steep.LegendText = $"steepest descent: {suggested:G2}";
        var tenth = plot.Add.VerticalLine(Math.Log10(minOverTen));
        tenth.Color = Colors.Gray;
        tenth.LinePattern = LinePattern.Dashed;
        tenth.LegendText = $"minimum / 10: {minOverTen:G2}";
        double lo = smoothed.Where(double.IsFinite).Min(), first = smoothed[0];
        plot.Axes.SetLimitsY(lo - 0.1 * Math.Abs(first - lo) - 1e-3, Math.Max(first, lo) + 0.5 * Math.Abs(first - lo) + 1e-3);
        plot.Axes.Bottom.Label.Text = "learning rate (log10)";
        plot.Axes.Left.Label.Text = "training loss";
        plot.Title("Learning-rate range test");
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path, 1000, 520);
    }

    /// <summary>Train/validation loss and validation accuracy / macro F1 per epoch.</summary>
    public static void Validation(IReadOnlyList<EpochRecord> epochs, IReadOnlyList<MetricSpec> metrics, string path)
    {
        if (epochs.Count == 0) return;
        var plot = new Plot();
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();
        // A series with no values (an epoch that did not validate) is not drawn.
        void Line(double[] y, string label, Color color, bool right)
        {
            if (!y.All(double.IsNaN)) AddLine(plot, x, y, label, color, 2, right,
            markers: true);
        }
        Line(epochs.Select(e => e.TrainLoss).ToArray(), "train loss", Colors.SteelBlue, false);
        // Losses and errors (lower is better) beside the training loss; scores on the right axis.
        var palette = new ScottPlot.Palettes.Category10();
        Color[] left = [Colors.Navy], right = [Colors.ForestGreen, Colors.OrangeRed];
        int l = 0, r = 0;
        foreach (var m in metrics)
        {
            var y = epochs.Select(e => e.Metrics.TryGetValue(m.Column, out var v) ? v : double.NaN).ToArray();
            var color = m.HigherIsBetter ? (r < right.Length ? right[r] : palette.GetColor(r + 1)) : (l < left.Length
                ? left[l] : palette.GetColor(l + 5));
            if (m.HigherIsBetter) r++; else l++;
            Line(y, "val " + m.Name.Replace('_', ' '), color, m.HigherIsBetter);
        }
        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Right.Label.Text = "metrics";
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Title("Per epoch");
        plot.ShowLegend(Alignment.MiddleRight);
        Save(plot, path, 1000, 520);
    }

    /// <summary>Each class's share of the training samples per epoch (what the sampler delivered).</summary>
    public static void ClassShares(IReadOnlyList<double[]> shares, IReadOnlyList<string> classes, string path)
    {
        if (shares.Count == 0) return;
        var plot = new Plot();
        double[] x = Enumerable.Range(1, shares.Count).Select(e => (double)e).ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < classes.Count; k++)
        {
            var line = plot.Add.Scatter(x, shares.Select(s => s[k]).ToArray());
            line.LegendText = classes[k];
            line.Color = palette.GetColor(k);
            line.LineWidth = 2;
        }
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = "share of training samples";
        plot.Axes.SetLimitsY(0, Math.Min(1, shares.Max(s => s.Max()) * 1.15));
        plot.Title("Classes seen per epoch");
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, 1000, 420);
    }

    /// <summary>Confusion matrix, row-normalised colours with counts in the cells; rows are the truth.</summary>
    public static void ConfusionMatrix(int[,] counts, IReadOnlyList<string> classes, string path)
    {
        int k = classes.Count;
        var normalised = new double[k, k];
        for (int r = 0; r < k; r++)
        {
            double total = 0;
            for (int c = 0; c < k; c++) total += counts[r, c];
            for (int c = 0; c < k; c++) normalised[r, c] = total == 0 ? 0 : counts[r, c] / total;
        }
        var plot = new Plot();
        var heat = plot.Add.Heatmap(normalised);
        // ScottPlot's Blues runs dark to light; reversed, a full row is dark blue. Fixed 0..1 range.
        heat.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues());
        heat.ManualRange = new ScottPlot.Range(0, 1);
        heat.FlipVertically = false;
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++)
            {
                // Heatmap cell (r, c) is centred at x = c, y = k - 1 - r (row 0 on top).
                var t = plot.Add.Text($"{counts[r, c]}\n{normalised[r, c]:P0}", c, k - 1 - r);
                t.LabelFontSize = k > 12 ? 9 : 13;
                t.LabelFontColor = normalised[r, c] > 0.5 ? Colors.White : Colors.Black;
                t.LabelAlignment = Alignment.MiddleCenter;
            }
        var ticks = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, classes.ToArray());
        plot.Axes.Left.SetTicks(ticks.Select(t => k - 1 - t).ToArray(), classes.ToArray());
        plot.Axes.Bottom.Label.Text = "predicted";
        plot.Axes.Left.Label.Text = "true";
        plot.Add.ColorBar(heat);
        plot.Title("Confusion matrix (row-normalised)");
        int size = Math.Clamp(120 + 70 * k, 500, 1600);
        Save(plot, path, size + 150, size);
    }

    /// <summary>Multi-label evaluation: precision, recall and F1 of every label as grouped bars, supports under the names.</summary>
    public static void LabelScores(IReadOnlyList<Evaluation.ClassScore> scores, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        (string Name, Func<Evaluation.ClassScore, double> Value)[] series = [("precision", s => s.Precision), ("recall", s => s.Recall),
            ("F1", s => s.F1)];
        for (int j = 0; j < series.Length; j++)
        {
            var bars = scores.Select((s, l) => new ScottPlot.Bar
            {
                Position = l * 4 + j,
                Value = series[j].Value(s),
                FillColor = palette.GetColor(j)
            }).ToList();
            plot.Add.Bars(bars).LegendText = series[j].Name;
        }
        plot.Axes.Bottom.SetTicks(scores.Select((_, l) => l * 4 + 1.0).ToArray(), scores.Select(s => $"{s.Name}\n({s.Support})").ToArray());
        plot.Axes.SetLimitsY(0, 1.2); // room above the bars for the legend
        plot.Axes.Left.Label.Text = "score at threshold 0.5";
        plot.Title("Per label (support in brackets)");
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.ShowLegend(Alignment.UpperCenter);
        Save(plot, path, Math.Clamp(200 + 60 * scores.Count, 700, 2400), 480);
    }

    private static void AddLine(Plot plot, double[] x, double[] y, string label, Color color, float width, bool right, bool markers)
    {
        var s = markers ? plot.Add.Scatter(x, y) : plot.Add.ScatterLine(x, y);
        s.LegendText = label;
        s.Color = color;
        s.LineWidth = width;
        if (right) s.Axes.YAxis = plot.Axes.Right;
    }

    public static double[] Smooth(IReadOnlyList<double> values, double beta)
    {
        // Bias-corrected exponential moving average, as TensorBoard smooths.
        var result = new double[values.Count];
        double avg = 0;
        for (int i = 0; i < values.Count; i++)
        {
            avg = beta * avg + (1 - beta) * values[i];
            result[i] = avg / (1 - Math.Pow(beta, i + 1));
        }
        return result;
    }

    /// <summary>A 2-D map of images (t-SNE of their embeddings), a colour per label.</summary>
    public static void Map(float[,] map, IReadOnlyList<string> labels, string title, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (label, k) in labels.Distinct().Order(StringComparer.Ordinal).Select((l, k) => (l, k)))
        {
            var rows = Enumerable.Range(0, labels.Count).Where(i => labels[i] == label).ToArray();
            double[] x = [.. rows.Select(i => (double)map[i, 0])], y = [.. rows.Select(i => (double)map[i, 1])];
            var scatter = plot.Add.ScatterPoints(x, y, palette.GetColor(k));
            scatter.MarkerSize = 4;
            scatter.LegendText = label.Length == 0 ? "(unlabelled)" : label;
        }
        plot.Title(title);
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, 900, 760);
    }

    /// <summary>Overlaid histograms (as fractions, so groups of different sizes compare), one line per group.</summary>
    public static void Histograms(IReadOnlyList<(string Name, double[] Values)> groups, string title, string xLabel, string path,
        int bins = 30, bool logX = false, string unit = "images", (double X, string Label)? line = null)
    {
        var all = groups.SelectMany(g => g.Values).Where(double.IsFinite).Select(v => logX ? Math.Log10(Math.Max(v, 1e-9)) : v).ToArray();
        if (all.Length == 0) return;
        double lo = all.Min(), hi = all.Max();
        if (hi <= lo) return; // one value: the table says it all
        double width = (hi - lo) / bins;
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int g = 0; g < groups.Count; g++)
        {
            var values = groups[g].Values.Where(double.IsFinite).Select(v => logX ? Math.Log10(Math.Max(v, 1e-9)) : v).ToArray();
            if (values.Length == 0) continue;
            var counts = new double[bins];
            foreach (var v in values) counts[Math.Clamp((int)((v - lo) / width), 0, bins - 1)] += 1.0 / values.Length;
            var x = Enumerable.Range(0, bins).Select(i => lo + (i + 0.5) * width).ToArray();
            if (groups.Count == 1)
            {
                var bars = plot.Add.Bars(x, counts);
                foreach (var b in bars.Bars) b.Size = width * 0.95;
            }
            else
            {
                var series = plot.Add.ScatterLine(x, counts);
                series.LegendText = groups[g].Name;
                series.Color = palette.GetColor(g);
                series.LineWidth = 2;
            }
        }
        plot.Axes.Bottom.Label.Text = logX ? $"{xLabel} (log10)" : xLabel;
        plot.Axes.Left.Label.Text = $"fraction of {unit}";
        plot.Title(title);
        if (groups.Count > 1 || line is not null) plot.ShowLegend(Alignment.UpperRight);
        if (line is { } l)
        {
            var marker = plot.Add.VerticalLine(logX ? Math.Log10(Math.Max(l.X, 1e-9)) : l.X, 2, Colors.Black);
            marker.LegendText = l.Label;
            marker.LinePattern = LinePattern.Dashed;
        }
        Save(plot, path, 900, 420);
    }

    public static void Save(Plot plot, string path, int width, int height) =>
        AtomicFile.Write(path, temp => plot.SavePng(temp, width, height));
}
