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
