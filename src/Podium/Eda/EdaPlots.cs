using Podium.Reporting;
using ScottPlot;

namespace Podium.Eda;

/// <summary>The EDA report's charts (ScottPlot PNGs).</summary>
public static class EdaPlots
{
    public static void ClassCounts(IReadOnlyList<ClassCount> classes, string path)
    {
        var plot = new Plot();
        var bars = plot.Add.Bars(classes.Select((_, i) => (double)i).ToArray(), classes.Select(c => (double)c.Count).ToArray());
        foreach (var b in bars.Bars) b.Label = ((int)b.Value).ToString(System.Globalization.CultureInfo.InvariantCulture);
        bars.ValueLabelStyle.FontSize = 12;
        plot.Axes.Bottom.SetTicks(classes.Select((_, i) => (double)i).ToArray(), classes.Select(c => c.Name).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Axes.Left.Label.Text = "images";
        plot.Title("Images per class");
        Plots.Save(plot, path, Math.Clamp(200 + 60 * classes.Count, 600, 1600), 420);
    }

    /// <summary>Overlaid histograms (as fractions, so groups of different sizes compare), one line per group.</summary>
    public static void Histograms(IReadOnlyList<(string Name, double[] Values)> groups, string title, string xLabel, string path,
        int bins = 30, bool logX = false, string unit = "images")
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
                var line = plot.Add.ScatterLine(x, counts);
                line.LegendText = groups[g].Name;
                line.Color = palette.GetColor(g);
                line.LineWidth = 2;
            }
        }
        plot.Axes.Bottom.Label.Text = logX ? $"{xLabel} (log10)" : xLabel;
        plot.Axes.Left.Label.Text = $"fraction of {unit}";
        plot.Title(title);
        if (groups.Count > 1) plot.ShowLegend(Alignment.UpperRight);
        Plots.Save(plot, path, 900, 420);
    }

    /// <summary>Width against height, one point per image: the size distribution at a glance.</summary>
    public static void Sizes(IReadOnlyList<ImageFacts> facts, string path)
    {
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(facts.Select(f => (double)f.Width).ToArray(), facts.Select(f => (double)f.Height).ToArray());
        points.MarkerSize = 4;
        points.Color = Colors.SteelBlue.WithAlpha(0.4);
        plot.Axes.Bottom.Label.Text = "width (px)";
        plot.Axes.Left.Label.Text = "height (px)";
        plot.Title($"Image sizes ({facts.Count} images)");
        Plots.Save(plot, path, 700, 560);
    }
}
