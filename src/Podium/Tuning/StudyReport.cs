using System.Globalization;
using Podium.Reporting;
using Podium.Tracking;
using ScottPlot;

namespace Podium.Tuning;

/// <summary>
/// What a study found, as files in a folder: history.png (each trial's value and the best so far), importance.png (parameter
/// importance, <see cref="ParameterImportance"/>), parallel.png (parallel coordinates of the finished trials, coloured by
/// value), slice-KEY.png (the value against each parameter) and report.html with them, the best trial and the trials table.
/// </summary>
public sealed class StudyReport
{
    private StudyReport(string study, bool maximize, IReadOnlyList<StudyTrial> trials, IReadOnlyList<SearchParameter> parameters,
        IReadOnlyDictionary<string, double> importance)
    {
        (Study, Maximize, Trials, Parameters, Importance) = (study, maximize, trials, parameters, importance);
        Best = StudyTrial.Best(trials, maximize);
    }

    public string Study { get; }
    public bool Maximize { get; }
    public IReadOnlyList<StudyTrial> Trials { get; }
    public IReadOnlyList<SearchParameter> Parameters { get; }

    /// <summary>Importance by parameter, most important first (parameters every finished trial has).</summary>
    public IReadOnlyDictionary<string, double> Importance { get; }

    public StudyTrial? Best { get; }

    private List<StudyTrial> Complete => StudyTrial.Finished(Trials);

    /// <summary>The report of a study of the store (one line when there is no such study).</summary>
    public static StudyReport Of(StudyStore studies, string name)
    {
        var id = studies.Find(name) ?? throw new PodiumException($"{studies.Location}: no study named {name}");
        var trials = studies.Trials(id);
        var parameters = studies.Distributions(id).Select(d => SearchParameter.FromOptuna(d.Name, d.Distribution)).ToList();
        var complete = trials.Where(t => t.State == "COMPLETE" && t.Value is { } v && double.IsFinite(v)).ToList();
        // As Optuna: importance over the parameters every finished trial has.
        var shared = parameters.Where(p => complete.Count > 0 && complete.All(t => t.Params.ContainsKey(p.Key))).ToList();
        var importance = ParameterImportance.Estimate(shared, [.. complete.Select(t => shared.Select(p => t.Params[p.Key]).ToArray())],
            [.. complete.Select(t => t.Value!.Value)]).OrderByDescending(kv => kv.Value).ToDictionary();
        return new StudyReport(name, studies.Maximizes(id), trials, parameters, importance);
    }

    /// <summary>The parameter's value as the config takes it.</summary>
    public string Text(StudyTrial trial, SearchParameter p) => trial.Params.TryGetValue(p.Key, out var v) ? p.Text(v) : "";

    /// <summary>Writes the PNGs and report.html into <paramref name="folder"/>; returns report.html's path.</summary>
    public string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        History(Path.Combine(folder, "history.png"));
        if (Importance.Count > 0) ImportancePlot(Path.Combine(folder, "importance.png"));
        var complete = Complete;
        if (complete.Count > 1 && Importance.Count > 0) Parallel(complete, Path.Combine(folder, "parallel.png"));
        var slices = Parameters.Select(p => (p, Path: Path.Combine(folder, $"slice-{Safe(p.Key)}.png"))).ToList();
        foreach (var (p, path) in slices) Slice(complete, p, path);

        var page = new HtmlPage($"Study {Study}");
        var counts = string.Join(", ", Trials.GroupBy(t => t.State).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}"));
        page.Paragraph($"{Trials.Count} trial(s): {counts}; objective {(Maximize ? "maximised" : "minimised")}.");
        if (Best is { } best)
            page.Heading("Best trial").Paragraph(Invariant($"Trial {best.Number}: {best.Value:G6}")).Table(
                [["parameter", "value"], .. Parameters.Where(p => best.Params.ContainsKey(p.Key)).Select(p => (IReadOnlyList<string>)[p.Key,
                    Text(best, p)])]);
        page.Heading("Optimisation history").Image(Path.Combine(folder, "history.png"));
        if (Importance.Count > 0)
            page.Heading("Parameter importance").Image(Path.Combine(folder, "importance.png"))
                .Image(Path.Combine(folder, "parallel.png"), "Parallel coordinates");
        page.Heading("Slices");
        foreach (var (_, path) in slices) page.Image(path);
        var ranked = Maximize ? Trials.OrderByDescending(t => t.Value ?? double.NegativeInfinity)
            : Trials.OrderBy(t => t.Value ?? double.PositiveInfinity);
        page.Heading("Trials").Table([["trial", "state", "value", "epochs", .. Parameters.Select(p => p.Key)],
            .. ranked.Select(t => (IReadOnlyList<string>)[$"{t.Number}", t.State.ToLowerInvariant(), Invariant($"{t.Value:G6}"),
                $"{t.Intermediate.Count}", .. Parameters.Select(p => Text(t, p))])]);
        var html = Path.Combine(folder, "report.html");
        page.Save(html);
        return html;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Safe(string key) => string.Concat(key.Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_'));

    private void History(string path)
    {
        var plot = new Plot();
        var complete = Complete;
        if (complete.Count > 0)
        {
            double[] numbers = [.. complete.Select(t => (double)t.Number)], values = [.. complete.Select(t => t.Value!.Value)];
            var dots = plot.Add.ScatterPoints(numbers, values);
            dots.LegendText = "complete";
            var best = double.NaN;
            var line = new List<(double X, double Y)>();
            foreach (var t in complete)
            {
                best = double.IsNaN(best) || (Maximize ? t.Value > best : t.Value < best) ? t.Value!.Value : best;
                line.Add((t.Number, best));
            }
            double[] xs = [.. line.Select(p => p.X)], ys = [.. line.Select(p => p.Y)];
            var stairs = plot.Add.Scatter(xs, ys);
            stairs.ConnectStyle = ConnectStyle.StepHorizontal;
            stairs.LegendText = "best so far";
            stairs.LineWidth = 2;
        }
        var pruned = Trials.Where(t => t.State == "PRUNED" && t.Value is { } v && double.IsFinite(v)).ToList();
        if (pruned.Count > 0)
        {
            double[] numbers = [.. pruned.Select(t => (double)t.Number)], values = [.. pruned.Select(t => t.Value!.Value)];
            var marks = plot.Add.ScatterPoints(numbers, values);
            marks.MarkerShape = MarkerShape.Eks;
            marks.Color = Colors.Gray;
            marks.LegendText = "pruned (last epoch)";
        }
        plot.Title($"{Study}: optimisation history");
        plot.Axes.Bottom.Label.Text = "trial";
        plot.Axes.Left.Label.Text = "objective";
        plot.ShowLegend(Maximize ? Alignment.LowerRight : Alignment.UpperRight);
        Plots.Save(plot, path, 900, 480);
    }

    private void ImportancePlot(string path)
    {
        var plot = new Plot();
        var entries = Importance.Reverse().ToList();
        var bars = plot.Add.Bars([.. entries.Select(e => e.Value)]);
        bars.Horizontal = true;
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, entries.Count).Select(i => (double)i)], [.. entries.Select(e => e.Key)]);
        plot.Axes.Bottom.Label.Text = "importance (share of the out-of-bag error a shuffle adds)";
        plot.Title($"{Study}: parameter importance");
        Plots.Save(plot, path, 900, 120 + 40 * entries.Count);
    }

    private void Parallel(List<StudyTrial> complete, string path)
    {
        var plot = new Plot();
        var axes = Importance.Keys.Select(k => Parameters.First(p => p.Key == k)).ToList();
        var (low, high) = (complete.Min(t => t.Value!.Value), complete.Max(t => t.Value!.Value));
        var colormap = new ScottPlot.Colormaps.Viridis();
        static double Share(double v, double low, double high, bool log) =>
            log ? (Math.Log(v) - Math.Log(low)) / (Math.Log(high) - Math.Log(low)) : (v - low) / (high - low);
        double Scale(SearchParameter p, double v) => p switch
        {
            FloatParameter f => Share(v, f.Low, f.High, f.Log),
            IntParameter i => Share(v, i.Low, i.High, i.Log),
            CategoricalParameter c => c.Choices.Count == 1 ? 0.5 : v / (c.Choices.Count - 1),
            _ => 0,
        };
        // Worst first, so the best trials' lines lie on top.
        foreach (var t in complete.OrderBy(t => Maximize ? t.Value : -t.Value))
        {
            var share = high > low ? (t.Value!.Value - low) / (high - low) : 1;
            double[] ys = [.. axes.Select(p => Scale(p, t.Params[p.Key])), share];
            var line = plot.Add.ScatterLine([.. Enumerable.Range(0, ys.Length).Select(i => (double)i)], ys);
            line.Color = colormap.GetColor(Maximize ? share : 1 - share).WithAlpha(0.8);
            line.LineWidth = 1.5f;
        }
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, axes.Count + 1).Select(i => (double)i)],
            [.. axes.Select(p => p.Key), "objective"]);
        plot.Axes.Left.Label.Text = "position in the range (log scale where searched so)";
        plot.Title(Invariant($"{Study}: parallel coordinates (yellow: best; objective {low:G4} to {high:G4})"));
        Plots.Save(plot, path, 200 + 180 * (axes.Count + 1), 520);
    }

    private void Slice(List<StudyTrial> complete, SearchParameter p, string path)
    {
        var plot = new Plot();
        var having = complete.Where(t => t.Params.ContainsKey(p.Key)).ToList();
        var log = p is FloatParameter { Log: true } or IntParameter { Log: true };
        if (having.Count > 0)
        {
            double[] xs = [.. having.Select(t => log ? Math.Log10(t.Params[p.Key]) : t.Params[p.Key])];
            double[] ys = [.. having.Select(t => t.Value!.Value)];
            var dots = plot.Add.ScatterPoints(xs, ys);
            dots.MarkerSize = 8;
        }
        if (p is CategoricalParameter c)
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, c.Choices.Count).Select(i => (double)i)],
                [.. c.Choices.Select(x => x.Length > 24 ? x[..22] + "…" : x)]);
        plot.Axes.Bottom.Label.Text = log ? $"log10 {p.Key}" : p.Key;
        plot.Axes.Left.Label.Text = "objective";
        plot.Title($"{Study}: objective against {p.Key}");
        Plots.Save(plot, path, 700, 420);
    }
}
