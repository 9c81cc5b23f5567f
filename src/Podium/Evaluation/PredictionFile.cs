using System.Globalization;
using Podium.Data;
using Podium.Tracking;

namespace Podium.Evaluation;

/// <summary>
/// Saved class probabilities, the currency of ensembles, stacking, thresholds and pseudo-labels: a CSV
/// with path, label (empty when unknown) and one column per class. Runs write predictions/val.csv when
/// evaluated; cv writes oof.csv and test.csv; predict writes predictions/&lt;input&gt;.csv beside a submission.
/// </summary>
public sealed record PredictionFile(IReadOnlyList<string> Classes, IReadOnlyList<string> Paths, int[] Labels, float[,] Probabilities)
{
    public int Count => Paths.Count;

    public static PredictionFile From(ImageDataset data, Predictions p, bool labelled)
    {
        var paths = p.Indices.Select(data.Locate).ToList();
        var labels = labelled ? p.Indices.Select(data.Label).ToArray() : Enumerable.Repeat(ImageDataset.Unlabelled, p.Indices.Length).ToArray();
        return new PredictionFile(data.Classes, paths, labels, p.Probabilities);
    }

    public bool Labelled => Labels.All(l => l != ImageDataset.Unlabelled);

    public void Write(string path)
    {
        var lines = new List<string>(Count + 1) { Csv.Line(["path", "label", .. Classes]) };
        int k = Classes.Count;
        for (int i = 0; i < Count; i++)
            lines.Add(Csv.Line([Paths[i], Labels[i] < 0 ? "" : Classes[Labels[i]],
                .. Enumerable.Range(0, k).Select(c => Probabilities[i, c].ToString("G9", CultureInfo.InvariantCulture))]));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllLines(path, lines);
    }

    public static PredictionFile Read(string path)
    {
        if (!File.Exists(path)) throw new PodiumException($"{path}: no such prediction file");
        var rows = Csv.Read(path).ToList();
        if (rows.Count == 0 || rows[0].Length < 4 || rows[0][0] != "path" || rows[0][1] != "label")
            throw new PodiumException($"{path}: not a prediction file (expected a header path,label,CLASS,CLASS,...)");
        var classes = rows[0][2..];
        int k = classes.Length;
        var probabilities = new float[rows.Count - 1, k];
        var labels = new int[rows.Count - 1];
        var paths = new List<string>(rows.Count - 1);
        for (int i = 1; i < rows.Count; i++)
        {
            var r = rows[i];
            if (r.Length != k + 2) throw new PodiumException($"{path}: line {i + 1} has {r.Length} fields, the header {k + 2}");
            paths.Add(r[0]);
            labels[i - 1] = r[1].Length == 0 ? ImageDataset.Unlabelled : Array.IndexOf(classes, r[1]) is var c and >= 0 ? c
                : throw new PodiumException($"{path}: line {i + 1}: label '{r[1]}' is not one of the columns");
            for (int j = 0; j < k; j++)
                probabilities[i - 1, j] = float.TryParse(r[j + 2], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                    : throw new PodiumException($"{path}: line {i + 1}: '{r[j + 2]}' is not a probability");
        }
        return new PredictionFile(classes, paths, labels, probabilities);
    }

    /// <summary>The same rows as <paramref name="order"/> (by path), so files of different runs line up; refuses differing sets.</summary>
    public PredictionFile Align(IReadOnlyList<string> order, string what)
    {
        var at = Paths.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
        var missing = order.Count(p => !at.ContainsKey(p));
        if (missing > 0 || order.Count != Count)
            throw new PodiumException($"{what}: {missing} of {order.Count} images missing and {Count - (order.Count - missing)} extra; predictions must cover the same images");
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
