using System.Globalization;
using OpenCvSharp;
using Podium.Augment;
using Podium.Data;
using Podium.Tracking;
using static Podium.Tracking.ImageGrid;

namespace Podium.Evaluation;

/// <summary>One image's outcome: its truth, the predicted class and the probabilities of both.</summary>
public sealed record Outcome(int Index, int Truth, int Predicted, float PredictedProbability, float TruthProbability);

/// <summary>
/// Where a model fails, as pictures: the most confident mistakes (label noise or a systematic
/// confusion) and the least confident correct predictions (the decision boundary), plus errors.csv
/// listing every mistake, most confident first.
/// </summary>
public static class ErrorAnalysis
{
    private const int Tile = 128, Gap = 6, Caption = 34, Columns = 6;

    public static List<Outcome> Outcomes(Predictions p, IReadOnlyList<int> truth)
    {
        var predicted = p.Predicted;
        return Enumerable.Range(0, truth.Count).Select(i => new Outcome(p.Indices[i], truth[i], predicted[i],
            p.Probabilities[i, predicted[i]], p.Probabilities[i, truth[i]])).ToList();
    }

    /// <summary>Mistakes, the most confident first.</summary>
    public static List<Outcome> ConfidentMistakes(IEnumerable<Outcome> all) =>
        all.Where(o => o.Predicted != o.Truth).OrderByDescending(o => o.PredictedProbability).ThenBy(o => o.Index).ToList();

    /// <summary>Correct predictions, the least confident first.</summary>
    public static List<Outcome> UnsureCorrect(IEnumerable<Outcome> all) =>
        all.Where(o => o.Predicted == o.Truth).OrderBy(o => o.PredictedProbability).ThenBy(o => o.Index).ToList();

    /// <summary>Writes errors.csv, plots/mistakes.png and plots/unsure_correct.png (the first <paramref name="shown"/> of each).</summary>
    public static void Write(RunDirectory run, ImageDataset data, Predictions p, IReadOnlyList<int> truth, int shown = 24)
    {
        var outcomes = Outcomes(p, truth);
        var mistakes = ConfidentMistakes(outcomes);
        var classes = data.Classes;
        AtomicFile.WriteAllLines(run.Errors, ["path,true,predicted,p_predicted,p_true",
            .. mistakes.Select(o => Csv.Line([data.Locate(o.Index), classes[o.Truth], classes[o.Predicted],
                o.PredictedProbability.ToString("F4", CultureInfo.InvariantCulture), o.TruthProbability.ToString("F4", CultureInfo.InvariantCulture)]))]);
        Gallery(data, mistakes.Take(shown).ToList(), run.MistakesPlot, mistake: true);
        Gallery(data, UnsureCorrect(outcomes).Take(shown).ToList(), run.UnsureCorrectPlot, mistake: false);
    }

    private static void Gallery(ImageDataset data, IReadOnlyList<Outcome> items, string path, bool mistake)
    {
        if (items.Count == 0) { if (File.Exists(path)) File.Delete(path); return; }
        int rows = (items.Count + Columns - 1) / Columns;
        using var grid = new Mat(rows * (Tile + Caption + Gap), Columns * (Tile + Gap), MatType.CV_8UC3, Scalar.All(255));
        for (int k = 0; k < items.Count; k++)
        {
            var o = items[k];
            int x = k % Columns * (Tile + Gap), y = k / Columns * (Tile + Caption + Gap);
            using (var target = new AugmentTarget(data.Read(o.Index, 3)))
            using (var tile = AugmentPreview.Tile(target, Tile))
                Paste(grid, tile, x, y);
            var classes = data.Classes;
            string first = mistake ? $"{Cut(classes[o.Predicted])} {o.PredictedProbability:F2}" : $"{Cut(classes[o.Truth])} {o.PredictedProbability:F2}";
            Text(grid, first, x + 2, y + Tile + 13, 0.4, mistake ? new Scalar(0, 0, 190) : null);
            Text(grid, mistake ? $"true {Cut(classes[o.Truth])} {o.TruthProbability:F2}" : Cut(Path.GetFileName(data.Locate(o.Index)), 20), x + 2, y + Tile + 28, 0.36);
        }
        AtomicFile.WritePng(path, grid);
    }

    private static string Cut(string s, int max = 12) => s.Length > max ? s[..max] : s;
}
