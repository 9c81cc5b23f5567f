using System.Globalization;
using Podium.Data;
using Podium.Evaluation;
using Podium.IO;
using Podium.Reporting;
using Podium.Tracking;
using static Podium.Platform.Invariant;
using static Podium.Reporting.ImageGrid;

namespace Podium.Tasks.Classification;

/// <summary>
/// Where a model fails, as pictures: the most confident mistakes (label noise or a systematic
/// confusion) and the least confident correct predictions (the decision boundary), plus errors.csv
/// listing every mistake, most confident first.
/// </summary>
public static class ErrorAnalysis
{
    private const int Columns = 6;

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
                o.PredictedProbability.ToString("F4", CultureInfo.InvariantCulture), o.TruthProbability.ToString("F4",
                    CultureInfo.InvariantCulture)]))]);
        CaptionedGallery.Item Describe(Outcome o, bool mistake) => mistake
            ? new(o.Index, F($"{Cut(classes[o.Predicted])} {o.PredictedProbability:F2}"),
                F($"true {Cut(classes[o.Truth])} {o.TruthProbability:F2}"))
            : new(o.Index, F($"{Cut(classes[o.Truth])} {o.PredictedProbability:F2}"), Cut(Path.GetFileName(data.Locate(o.Index)), 20));
        Gallery(data, mistakes.Take(shown).Select(o => Describe(o, true)).ToList(), run.MistakesPlot, mistake: true);
        Gallery(data, UnsureCorrect(outcomes).Take(shown).Select(o => Describe(o, false)).ToList(), run.UnsureCorrectPlot, mistake: false);
    }

    /// <summary>One image's worst label decision in a multi-label prediction (Row: its row in the predictions): the label, its probability,
    /// and how wrong (or how close to the threshold) it is.</summary>
    public sealed record LabelOutcome(int Row, int Index, int Label, float Probability, bool Wrong, double Margin, int Errors);

    /// <summary>
    /// Multi-label: per image, its worst label decision. A wrong one's margin is how far on the wrong side of the
    /// threshold (0.5) it lies (a false positive at 0.97: 0.47); a fully right image's is its nearest decision to the threshold.
    /// </summary>
    public static List<LabelOutcome> LabelOutcomes(Predictions p, bool[,] truth, bool[,] predicted)
    {
        int n = truth.GetLength(0), labels = truth.GetLength(1);
        var result = new List<LabelOutcome>(n);
        for (int i = 0; i < n; i++)
        {
            int worst = 0, errors = 0;
            double worstMargin = double.MinValue;
            for (int l = 0; l < labels; l++)
            {
                // Signed: positive on the wrong side of the threshold, negative on the right side.
                double margin = truth[i, l] ? 0.5 - p.Probabilities[i, l] : p.Probabilities[i, l] - 0.5;
                if (truth[i, l] != predicted[i, l]) errors++;
                if (margin > worstMargin) (worst, worstMargin) = (l, margin);
            }
            result.Add(new LabelOutcome(i, p.Indices[i], worst, p.Probabilities[i, worst], errors > 0, Math.Abs(worstMargin), errors));
        }
        return result;
    }

    /// <summary>Multi-label errors.csv (every image with a wrong label, the most confidently wrong first) and the two galleries.</summary>
    public static void WriteMultiLabel(RunDirectory run, ImageDataset data, Predictions p, bool[,] truth, int shown = 24)
    {
        var predicted = MultiLabelMetrics.Decide(p.Probabilities);
        var outcomes = LabelOutcomes(p, truth, predicted);
        var mistakes = outcomes.Where(o => o.Wrong).OrderByDescending(o => o.Margin).ThenBy(o => o.Index).ToList();
        var unsure = outcomes.Where(o => !o.Wrong).OrderBy(o => o.Margin).ThenBy(o => o.Index).ToList();
        var classes = data.Classes;
        string Labels(int row, bool[,] set) => string.Join(' ', classes.Where((_, l) => set[row, l]));
        string Sign(LabelOutcome o) => truth[o.Row, o.Label] ? "-" : "+"; // missed, or predicted but absent
        AtomicFile.WriteAllLines(run.Errors, ["path,true,predicted,wrong_labels,worst_label,p_worst",
            .. mistakes.Select(o => Csv.Line([data.Locate(o.Index), Labels(o.Row, truth), Labels(o.Row, predicted),
                o.Errors.ToString(CultureInfo.InvariantCulture),
                Sign(o) + classes[o.Label], o.Probability.ToString("F4", CultureInfo.InvariantCulture)]))]);
        Gallery(data, mistakes.Take(shown).Select(o => new CaptionedGallery.Item(o.Index,
            F($"{Sign(o)}{Cut(classes[o.Label])} {o.Probability:F2} ({o.Errors})"),
            "true " + Cut(Labels(o.Row, truth), 16))).ToList(), run.MistakesPlot, mistake: true);
        Gallery(data, unsure.Take(shown).Select(o => new CaptionedGallery.Item(o.Index, F($"{Cut(classes[o.Label])} {o.Probability:F2}"),
            Cut(Labels(o.Row, truth), 20))).ToList(), run.UnsureCorrectPlot, mistake: false);
    }

    /// <summary>A gallery tile: the image and its two caption lines.</summary>


    private static void Gallery(ImageDataset data, IReadOnlyList<CaptionedGallery.Item> items, string path, bool mistake) =>
        CaptionedGallery.Write(data, [.. items.Chunk(Columns)], path, flagFirst: mistake);

}
