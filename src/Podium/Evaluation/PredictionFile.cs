using System.Globalization;
using Podium.Data;
using Podium.IO;

namespace Podium.Evaluation;

/// <summary>
/// Saved class probabilities, the currency of ensembles, stacking, thresholds and pseudo-labels: a CSV
/// with path, label (empty when unknown) and one column per class. Runs write predictions/val.csv when
/// evaluated; cv writes oof.csv and test.csv; predict writes predictions/&lt;input&gt;.csv beside a submission.
/// A multi-label run's file has a <c>labels</c> column instead (each image's labels, space-separated) and
/// one independent probability per label.
/// </summary>
public sealed record PredictionFile(IReadOnlyList<string> Classes, IReadOnlyList<string> Paths, int[] Labels, float[,] Probabilities)
{
    public int Count => Paths.Count;
    /// <summary>Multi-label: each image's labels (null when unknown); null for a single-label file.</summary>
    public IReadOnlyList<int[]?>? Tags { get; init; }
    public bool MultiLabel => Tags is not null;

    public static PredictionFile From(ImageDataset data, Predictions p, bool labelled)
    {
        var paths = p.Indices.Select(data.Locate).ToList();
        var labels = labelled && !p.MultiLabel ? p.Indices.Select(data.Label).ToArray() : Enumerable.Repeat(ImageDataset.Unlabelled,
            p.Indices.Length).ToArray();
        return new PredictionFile(data.Classes, paths, labels, p.Probabilities)
        {
            Tags = p.MultiLabel ? p.Indices.Select(i => labelled ? data.Tags(i) : null).ToList() : null,
        };
    }

    /// <summary>Refuses a multi-label file where only single-label predictions make sense.</summary>
    public PredictionFile SingleLabel(string path, string what) =>
        MultiLabel ? throw new PodiumException($"{path}: multi-label predictions; {what} works on single-label runs") : this;

    public bool Labelled => Labels.All(l => l != ImageDataset.Unlabelled);

    public void Write(string path)
    {
        var lines = new List<string>(Count + 1) { Csv.Line(["path", MultiLabel ? "labels" : "label", .. Classes]) };
        int k = Classes.Count;
        string Truth(int i) => Tags is not null ? string.Join(' ',
            (Tags[i] ?? []).Select(t => Classes[t])) : Labels[i] < 0 ? "" : Classes[Labels[i]];
        for (int i = 0; i < Count; i++)
            lines.Add(Csv.Line([Paths[i], Truth(i),
                .. Enumerable.Range(0, k).Select(c => Probabilities[i, c].ToString("G9", CultureInfo.InvariantCulture))]));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllLines(path, lines);
    }

    public static PredictionFile Read(string path)
    {
        if (!File.Exists(path)) throw new PodiumException($"{path}: no such prediction file");
        var rows = Csv.Read(path).ToList();
        if (rows.Count == 0 || rows[0].Length < 4 || rows[0][0] != "path" || rows[0][1] is not ("label" or "labels"))
            throw new PodiumException($"{path}: not a prediction file (expected a header path,label,CLASS,CLASS,...)");
        var classes = rows[0][2..];
        bool multiLabel = rows[0][1] == "labels";
        var tags = multiLabel ? new List<int[]?>() : null;
        int k = classes.Length;
        var probabilities = new float[rows.Count - 1, k];
        var labels = new int[rows.Count - 1];
        var paths = new List<string>(rows.Count - 1);
        for (int i = 1; i < rows.Count; i++)
        {
            var r = rows[i];
            if (r.Length != k + 2) throw new PodiumException($"{path}: line {i + 1} has {r.Length} fields, the header {k + 2}");
            paths.Add(r[0]);
            if (tags is not null)
            {
                // An empty field reads as unknown: a file of predictions has no way to tell it from "no labels".
                tags.Add(r[1].Length == 0 ? null : DatasetReader.SplitTags(r[1]).Select(t => Array.IndexOf(classes, t) is var c and >= 0 ? c
                    : throw new PodiumException($"{path}: line {i + 1}: label '{t}' is not one of the columns")).Order().ToArray());
                labels[i - 1] = ImageDataset.Unlabelled;
            }
            else labels[i - 1] = r[1].Length == 0 ? ImageDataset.Unlabelled : Array.IndexOf(classes, r[1]) is var c and >= 0 ? c
                : throw new PodiumException($"{path}: line {i + 1}: label '{r[1]}' is not one of the columns");
            for (int j = 0; j < k; j++)
                probabilities[i - 1, j] = float.TryParse(r[j + 2], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                    : throw new PodiumException($"{path}: line {i + 1}: '{r[j + 2]}' is not a probability");
        }
        return new PredictionFile(classes, paths, labels, probabilities) { Tags = tags };
    }

    /// <summary>The same rows as <paramref name="order"/> (by path), so files of different runs line up; refuses differing sets.</summary>
    public PredictionFile Align(IReadOnlyList<string> order, string what)
    {
        var at = Paths.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
        var missing = order.Count(p => !at.ContainsKey(p));
        if (missing > 0 || order.Count != Count)
            throw new PodiumException($"{what}: {missing} of {order.Count} images missing and {Count - (order.Count - missing)} extra; " +
                $"predictions must cover the same images");
        int k = Classes.Count;
        var probabilities = new float[order.Count, k];
        var labels = new int[order.Count];
        for (int i = 0; i < order.Count; i++)
        {
            int j = at[order[i]];
            labels[i] = Labels[j];
            for (int c = 0; c < k; c++) probabilities[i, c] = Probabilities[j, c];
        }
        return new PredictionFile(Classes, order, labels, probabilities);
    }
}
