using System.Globalization;
using System.Text.Json.Nodes;
using Podium.Evaluation;
using Podium.IO;
using Podium.Reporting;
using ScottPlot;

namespace Podium.Runs;

/// <summary>
/// The submission book (submissions.csv): each submission's validation score beside its public (and
/// private) leaderboard score. podium lb shows them, their correlation and a scatter plot: the rule that
/// the validation trend must follow the leaderboard trend, made visible.
/// </summary>
public static class Leaderboard
{
    private static readonly string[] Header = ["time", "run", "metric", "validation", "public", "private", "note"];

    /// <summary>The run's validation score: a cv folder's out-of-fold score, else the best epoch's monitored value.</summary>
    public static (string Metric, double Score) ValidationScore(string run)
    {
        var cv = Path.Combine(run, "cv.json");
        if (File.Exists(cv))
        {
            var j = JsonNode.Parse(File.ReadAllText(cv))!;
            return (j["metric"]!.GetValue<string>(), j["oof"]!.GetValue<double>());
        }
        var summary = Path.Combine(run, "summary.json");
        if (!File.Exists(summary)) throw new PodiumException($"{run}: neither a run (summary.json) nor a cv folder (cv.json)");
        var s = JsonNode.Parse(File.ReadAllText(summary))!;
        var monitor = s["monitor"]!.GetValue<string>();
        var best = s["best"] ?? throw new PodiumException($"{summary}: no finished epoch yet");
        var value = best[monitor.Replace("val_log_loss",
            "val_loss")] ?? best["extra"]?[monitor] ?? throw new PodiumException($"{summary}: no {monitor} in the best epoch");
        return (monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor[4..] : monitor, value.GetValue<double>());
    }

    public static Submission Record(string book, string run, double publicScore, double? privateScore, string? note)
    {
        var (metric, score) = ValidationScore(run);
        var s = new Submission(DateTime.UtcNow, Path.GetFullPath(run), metric, score, publicScore, privateScore, note ?? "");
        var lines = File.Exists(book) ? File.ReadAllLines(book).ToList() : [Csv.Line(Header)];
        lines.Add(Csv.Line([s.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), s.Run, s.Metric, F(s.Validation),
            F(s.Public),
            s.Private is { } p ? F(p) : "", s.Note]));
        AtomicFile.WriteAllLines(book, lines);
        return s;
    }

    public static List<Submission> Read(string book)
    {
        if (!File.Exists(book)) throw new PodiumException($"{book}: no submissions recorded yet (podium submit-log RUN --public-score X)");
        var rows = Csv.Read(book);
        if (rows.Count == 0 || !rows[0].SequenceEqual(Header)) throw new PodiumException($"{book}: not a submission book (header " +
            $"{string.Join(",", Header)})");
        return rows.Skip(1).Select((r,
            i) => r.Length != Header.Length
            ? throw new PodiumException($"{book}: line {i + 2} has {r.Length} fields, expected {Header.Length}")
            : new Submission(DateTime.Parse(r[0], CultureInfo.InvariantCulture), r[1], r[2], D(r[3], book, i), D(r[4], book, i),
                r[5].Length == 0 ? null : D(r[5], book, i), r[6])).ToList();
    }

    public static LeaderboardSummary Show(string book, string outDir)
    {
        var subs = Read(book);
        var val = subs.Select(s => s.Validation).ToArray();
        var pub = subs.Select(s => s.Public).ToArray();
        double pearson = Pearson(val, pub), spearman = Pearson(RankMetrics.AverageRanks(val), RankMetrics.AverageRanks(pub));
        // Consecutive submissions: did validation and leaderboard move the same way?
        var moves = Enumerable.Range(1, subs.Count - 1).Where(i => val[i] != val[i - 1] && pub[i] != pub[i - 1]).ToList();
        double? trend = moves.Count == 0 ? null : moves.Count(i
            => Math.Sign(val[i] - val[i - 1]) == Math.Sign(pub[i] - pub[i - 1])) / (double)moves.Count;
        Directory.CreateDirectory(outDir);
        var plot = Path.Combine(outDir, "leaderboard.png");
        Scatter(subs, pearson, plot);
        var page = new HtmlPage("Podium leaderboard");
        string agreement = trend is { } t
            ? string.Create(CultureInfo.InvariantCulture,
                $"; validation and leaderboard moved the same way in {t * 100:F0}% of {moves.Count} steps")
            : "";
        page.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"{subs.Count} submissions; validation vs public: Pearson {pearson:F3}, Spearman {spearman:F3}{agreement}."));
        page.Image(plot, "Validation vs leaderboard");
        page.Table([["#", "time", "run", "metric", "validation", "public", "private", "note"],
            .. subs.Select((s, i) => (IReadOnlyList<string>)[(i + 1).ToString(CultureInfo.InvariantCulture),
                s.Time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                Path.GetFileName(s.Run), s.Metric, F(s.Validation), F(s.Public), s.Private is { } p ? F(p) : "", s.Note])], "Submissions");
        var html = Path.Combine(outDir, "leaderboard.html");
        page.Save(html);
        return new LeaderboardSummary(subs, pearson, spearman, trend, plot, html);
    }

    private static void Scatter(IReadOnlyList<Submission> subs, double pearson, string path)
    {
        var plot = new Plot();
        var xs = subs.Select(s => s.Validation).ToArray();
        var ys = subs.Select(s => s.Public).ToArray();
        var points = plot.Add.ScatterPoints(xs, ys);
        points.MarkerSize = 9;
        if (subs.Count > 1)
        {
            var line = plot.Add.ScatterLine(xs, ys); // the order they were made in
            line.LineWidth = 1;
            line.LinePattern = LinePattern.Dotted;
            line.Color = points.Color.WithAlpha(0.5);
        }
        for (int i = 0; i < subs.Count; i++)
        {
            var label = plot.Add.Text($"{i + 1}", xs[i], ys[i]);
            label.LabelFontSize = 12;
            label.OffsetX = 6;
            label.OffsetY = -6;
        }
        // A straight fit shows the trend the points should follow.
        if (subs.Count > 1 && xs.Max() > xs.Min())
        {
            double mx = xs.Average(), my = ys.Average();
            double slope = xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my)) / xs.Sum(x => (x - mx) * (x - mx));
            var fit = plot.Add.Line(xs.Min(), my + slope * (xs.Min() - mx), xs.Max(), my + slope * (xs.Max() - mx));
            fit.LineWidth = 1.5f;
            fit.Color = Colors.Gray;
        }
        plot.XLabel($"validation {subs[0].Metric}");
        plot.YLabel("public leaderboard");
        plot.Title(Podium.Platform.Invariant.F($"Validation vs leaderboard ({subs.Count} submissions, Pearson {pearson:F2})"));
        Plots.Save(plot, path, 800, 600);
    }

    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n = x.Count;
        if (n < 2) return double.NaN;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static double D(string s, string book, int row) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture,
            out var v) ? v : throw new PodiumException($"{book}: line {row + 2}: '{s}' is not a number");
}
