using System.Globalization;
using Podium.Data;
using static Podium.Platform.Invariant;

namespace Podium.Runs;

/// <summary>Makes the split file of `podium split` (holdout, k-fold, toy; grouped when asked).</summary>
public static class SplitMaker
{
    public static SplitResult Make(SplitRequest r)
    {
        var load = DatasetReader.Open(r.Data, groupColumn: r.GroupColumn, multiLabel: r.MultiLabel);
        var data = load.Dataset;
        var labels = data.Labels();
        var groups = data.Groups();
        if (r.GroupColumn is not null
            && groups is null) throw new PodiumException($"{r.Data}: --group {r.GroupColumn} needs a CSV manifest with that column");
        var rows = Enumerable.Range(0, data.Count).ToArray();
        if (r.Toy is { } toy)
        {
            if (toy is <= 0 or > 1) throw new PodiumException($"--toy {toy}: a fraction in (0, 1]");
            rows = Splits.Where(Splits.StratifiedSubsets(labels, groups, [toy], r.Seed, everyClass: true), 1);
        }
        // Split the kept rows only; assignments below are indexed like `rows`.
        var keptLabels = rows.Select(i => labels[i]).ToArray();
        var keptGroups = groups is null ? null : rows.Select(i => groups[i]).ToArray();
        if (r.Like is not null) return LikeTest(r, data, load, rows);
        var values = new string?[data.Count];
        string column;
        string[] parts;
        int[] assignment;
        if (r.KFold is { } k)
        {
            if (k < 2) throw new PodiumException($"--folds {k}: at least 2 folds");
            int units = keptGroups?.Distinct().Count() ?? rows.Length;
            if (units < k) throw new PodiumException($"{r.Data}: {units} {(keptGroups is null ? "images" : "groups")} cannot fill {k} " +
                $"folds");
            assignment = keptGroups is null ? Splits.StratifiedKFold(keptLabels, k, r.Seed) : Splits.StratifiedGroupKFold(keptLabels,
                keptGroups, k, r.Seed);
            column = SplitFile.FoldColumn;
            parts = Enumerable.Range(0, k).Select(f => f.ToString(CultureInfo.InvariantCulture)).ToArray();
        }
        else
        {
            var fractions = r.Holdout ?? (r.Toy is null ? [0.7, 0.15, 0.15] : [0.8, 0.2]);
            if (fractions.Length is < 2 or > 3 || fractions.Any(f => f < 0) || Math.Abs(fractions.Sum() - 1) > 1e-6)
                throw new PodiumException($"--holdout {string.Join(',', fractions)}: train,val[,test] fractions that add up to 1");
            var subsets = Splits.StratifiedSubsets(keptLabels, keptGroups, fractions[1..], r.Seed);
            assignment = subsets;
            column = SplitFile.SubsetColumn;
            parts = fractions.Length == 3 ? ["train", "val", "test"] : ["train", "val"];
        }
        for (int j = 0; j < rows.Length; j++) values[rows[j]] = parts[assignment[j]];
        SplitFile.Write(r.Out, data, column, values);
        return Result(r, data, load, column, parts, rows, assignment);
    }

    private static SplitResult Result(SplitRequest r, ImageDataset data, DatasetLoad load, string column, string[] parts, int[] rows,
        int[] assignment)
    {
        var counts = new int[parts.Length, Math.Max(1, data.Classes.Count)];
        var sizes = new int[parts.Length];
        for (int j = 0; j < rows.Length; j++)
        {
            sizes[assignment[j]]++;
            var labels = data.MultiLabel ? data.Tags(rows[j]) ?? [] : data.Label(rows[j]) >= 0 ? [data.Label(rows[j])] : [];
            foreach (var l in labels) counts[assignment[j], l]++;
        }
        var groups = data.Groups();
        return new SplitResult(Path.GetFullPath(r.Out), column, parts, data.Classes, counts, sizes,
            groups is null ? 0 : rows.Select(i => groups[i]).Distinct().Count(), load.Skipped.Count, load.SkipSummary());
    }

    /// <summary>
    /// Adversarial validation: score every train image by how test-like it looks (out of fold), then
    /// take the most test-like share of each class as validation, so class balance is kept.
    /// </summary>
    private static SplitResult LikeTest(SplitRequest r, ImageDataset data, DatasetLoad load, int[] rows)
    {
        if (r.KFold is not null) throw new PodiumException("--like builds one validation set; it does not combine with --folds");
        var fractions = r.Holdout ?? [0.8, 0.2];
        if (fractions.Length != 2 || fractions.Any(f => f <= 0) || Math.Abs(fractions.Sum() - 1) > 1e-6)
            throw new PodiumException($"--holdout {string.Join(',', fractions)}: with --like, train,val fractions that add up to 1");
        var test = DatasetReader.Open(r.Like!, labelled: false);
        var kept = new DatasetView(data, rows);
        var (trainFacts, testFacts) = Eda.ImageScan.RunPair(kept, test.Dataset, "scanning train and test images", r.Threads);
        var bad = trainFacts.Concat(testFacts).FirstOrDefault(f => !f.Readable);
        if (bad is not null) throw new PodiumException($"{bad.Path}: {bad.Problem}");
        var result = Eda.AdversarialValidation.Run(trainFacts, testFacts, seed: r.Seed);

        var assignment = new int[rows.Length];
        foreach (var cls in Enumerable.Range(0, rows.Length).GroupBy(j => data.Label(rows[j])))
        {
            var members = cls.OrderByDescending(j => result.TrainScores[j]).ThenBy(j => j).ToArray();
            int n = Math.Max(members.Length >= 2 ? 1 : 0, (int)Math.Round(members.Length * fractions[1], MidpointRounding.AwayFromZero));
            foreach (var j in members.Take(n)) assignment[j] = 1;
        }
        string[] parts = ["train", "val"];
        var values = new string?[data.Count];
        var likeness = new string[data.Count];
        for (int j = 0; j < rows.Length; j++)
        {
            values[rows[j]] = parts[assignment[j]];
            likeness[rows[j]] = result.TrainScores[j].ToString("0.######", CultureInfo.InvariantCulture);
        }
        SplitFile.Write(r.Out, data, SplitFile.SubsetColumn, values, extra: [("test_likeness", likeness)]);
        var plot = System.IO.Path.ChangeExtension(Path.GetFullPath(r.Out), null) + "_adversarial.png";
        Reporting.Plots.Histograms([("train (out of fold)", result.TrainScores), ("test (out of fold)", result.TestScores)],
            F($"Adversarial validation: P(test) per image, AUC {result.Auc:F3}"), "P(test)", plot);
        return Result(r, data, load, SplitFile.SubsetColumn, parts, rows, assignment) with { Adversarial = result, AdversarialPlot = plot };
    }

}
