using Podium.Data;
using Podium.IO;

namespace Podium.Evaluation;

/// <summary>
/// Pseudo-labelling: unlabelled images whose top probability reaches a threshold join the training data
/// with that label. Per-class caps (each class at most its labelled share of the kept images, or an
/// explicit maximum) keep a class the model likes from taking over. The result is a split file, the labelled one plus the kept
/// images on the training side (pseudo column = 1; fold −1 in a k-fold file: training in every fold), so
/// validation never sees a pseudo-label. Running it again on a split it wrote replaces the previous round.
/// </summary>
public static class PseudoLabels
{
    public static PseudoLabelResult Run(PredictionFile predictions, string baseSplit, double threshold, int? maxPerClass, bool balance,
        string outPath)
    {
        if (threshold is <= 0 or > 1) throw new PodiumException($"--threshold {threshold}: expected a probability in (0, 1]");
        var rows = Csv.Read(baseSplit).ToList();
        if (rows.Count == 0) throw new PodiumException($"{baseSplit}: empty split file");
        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        int pathCol = header.IndexOf("path"), labelCol = header.IndexOf("label");
        int foldCol = header.IndexOf(SplitFile.FoldColumn), subsetCol = header.IndexOf(SplitFile.SubsetColumn);
        if (pathCol < 0 || labelCol < 0 || (foldCol < 0 && subsetCol < 0))
            throw new PodiumException($"{baseSplit}: not a split file (path, label and a fold or subset column; podium split writes one)");
        int pseudoCol = header.IndexOf("pseudo");
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(baseSplit))!;
        string Full(string p) => Path.GetFullPath(Path.IsPathRooted(p) ? p : Path.Combine(baseDir, p));
        // The labelled rows (a previous round's pseudo rows are dropped) and their class shares.
        var labelled = rows.Skip(1).Where(r => r.Length == header.Count && (pseudoCol < 0 || r[pseudoCol] != "1")).ToList();
        var classes = predictions.Classes;
        var prior = classes.Select(c => (double)labelled.Count(r => r[labelCol] == c
            && (subsetCol < 0 || r[subsetCol] != "test"))).ToArray();
        if (prior.Sum() == 0) throw new PodiumException($"{baseSplit}: none of its labels are the predictions' classes " +
            $"({string.Join(", ", classes)})");
        // Images with a label on the training or validation side are never pseudo-labelled; held-out test rows may be
        // (they are the unlabelled data of a rehearsal: the test row stays, a training copy with the pseudo-label joins).
        var known = labelled.Where(r => subsetCol < 0 || r[subsetCol] != "test").Select(r
            => Full(r[pathCol])).ToHashSet(StringComparer.Ordinal);

        // Confident candidates per class, most confident first (compared as floats, as the probabilities are,
        // so 0.9 keeps a stored 0.9); images already labelled are never pseudo-labelled.
        var predicted = ClassificationMetrics.ArgMax(predictions.Probabilities);
        var confident = classes.Select((_, c) => Enumerable.Range(0, predictions.Count)
            .Where(i => predicted[i] == c && predictions.Probabilities[i,
                c] >= (float)threshold && !known.Contains(Full(predictions.Paths[i])))
            .OrderByDescending(i => predictions.Probabilities[i, c]).ToList()).ToList();
        var caps = confident.Select(l => maxPerClass ?? l.Count).ToArray();
        if (balance)
        {
            // No class takes more than its labelled share of what is kept (rounded up); a class with few
            // confident images keeps them all and does not hold the others back.
            int available = confident.Select((l, c) => Math.Min(caps[c], l.Count)).Sum();
            double total = prior.Sum();
            for (int c = 0; c < classes.Count; c++) caps[c] = Math.Min(caps[c], (int)Math.Ceiling(prior[c] / total * available - 1e-9));
        }
        var kept = confident.Select((l, c) => l.Take(caps[c]).ToList()).ToList();

        // The new split: the labelled rows as they were, then the kept images on the training side.
        var outHeader = rows[0].ToList();
        if (pseudoCol < 0) outHeader.Add("pseudo");
        var lines = new List<string> { Csv.Line(outHeader) };
        var outDir = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
        string Relative(string full) => Path.GetRelativePath(outDir, full).Replace('\\', '/');
        foreach (var r in labelled)
        {
            var copy = pseudoCol < 0 ? [.. r, "0"] : r.ToArray();
            copy[pathCol] = Relative(Full(r[pathCol])); // paths stay right wherever the new file lives
            lines.Add(Csv.Line(copy));
        }
        int groupCol = header.IndexOf("group");
        for (int c = 0; c < classes.Count; c++)
            foreach (var i in kept[c])
            {
                var row = new string[outHeader.Count];
                row[pathCol] = Relative(Full(predictions.Paths[i]));
                row[labelCol] = classes[c];
                if (foldCol >= 0) row[foldCol] = "-1";
                if (subsetCol >= 0) row[subsetCol] = "train";
                if (groupCol >= 0) row[groupCol] = "pseudo:" + Path.GetFileNameWithoutExtension(predictions.Paths[i]);
                row[pseudoCol < 0 ? outHeader.Count - 1 : pseudoCol] = "1";
                for (int j = 0; j < row.Length; j++) row[j] ??= "";
                lines.Add(Csv.Line(row));
            }
        AtomicFile.WriteAllLines(outPath, lines);

        double? accuracy = predictions.Labels.Any(l => l >= 0)
            ? kept.SelectMany((l,
                c) => l.Where(i => predictions.Labels[i] >= 0).Select(i => predictions.Labels[i] == c
                ? 1.0 : 0.0)).DefaultIfEmpty(double.NaN).Average()
            : null;
        return new PseudoLabelResult(predictions.Count, kept.Sum(l => l.Count),
            classes.Select((c, k) => (c, confident[k].Count, kept[k].Count)).ToList(), accuracy, Path.GetFullPath(outPath), labelled.Count);
    }
}
