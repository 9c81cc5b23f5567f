using Podium.Config;
using Podium.Data;
using Podium.IO;

namespace Podium.Evaluation;

/// <summary>
/// Writes id,label submissions. Ids follow submission.id_style (file stem, file name, or path
/// relative to the input), or a sample_submission.csv: its column names, its id style and its order,
/// refusing to write when the ids do not match.
/// </summary>
public static class SubmissionWriter
{
    public static string IdFor(ImageDataset data, int index, string style)
    {
        var location = data.Locate(index);
        if (data is not FileImageDataset files) return location.Contains('#') ? location[(location.LastIndexOf('#') + 1)..] : location;
        return style switch
        {
            "filename" => Path.GetFileName(location),
            "path" => Path.GetRelativePath(files.Root, location).Replace('\\', '/'),
            _ => Path.GetFileNameWithoutExtension(location),
        };
    }

    /// <returns>The number of rows written.</returns>
    /// <param name="labelThresholds">Multi-label predictions: each label's threshold; the label column lists the labels that reach theirs,
    /// space-separated.</param>
    public static int Write(string outPath, ImageDataset data, Predictions predictions, IReadOnlyList<string> classes,
        SubmissionConfig options, string? samplePath = null, IReadOnlyList<double>? labelThresholds = null) =>
        Write(outPath, predictions.Indices.Length, (row, style) => IdFor(data, predictions.Indices[row], style),
            row => data.Locate(predictions.Indices[row]),
            predictions.Probabilities, classes, options, samplePath, predictions.MultiLabel ? labelThresholds ?? Enumerable.Repeat(0.5,
                classes.Count).ToArray() : null);

    /// <summary>A submission from saved probabilities (an ensemble, a cv run); ids from the file paths.</summary>
    public static int Write(string outPath, PredictionFile file, SubmissionConfig options, string? samplePath) =>
        Write(outPath, file.Count, (row, style) => style switch
        {
            "filename" => Path.GetFileName(file.Paths[row]),
            "path" => file.Paths[row],
            _ => Path.GetFileNameWithoutExtension(file.Paths[row]),
        }, row => file.Paths[row], file.Probabilities, file.Classes, options, samplePath);

    /// <summary>
    /// The shared writer. A sample submission decides the columns, the id style (file name when its ids
    /// have extensions) and the order; when its columns after the id are the classes, probabilities are
    /// written in that column order instead of labels.
    /// </summary>
    private static int Write(string outPath, int count, Func<int, string, string> idOf, Func<int, string> locate, float[,] probabilities,
        IReadOnlyList<string> classes, SubmissionConfig options, string? samplePath, IReadOnlyList<double>? labelThresholds = null)
    {
        var predicted = ClassificationMetrics.ArgMax(probabilities);
        var decided = labelThresholds is null ? null : MultiLabelMetrics.Decide(probabilities, labelThresholds);
        string LabelOf(int r) => decided is null ? classes[predicted[r]] : string.Join(' ', classes.Where((_, l) => decided[r, l]));
        string idColumn = options.IdColumn, labelColumn = options.LabelColumn, style = options.IdStyle;
        List<string>? order = null;
        int[]? probabilityColumns = null; // class index of each column after the id, when the sample wants probabilities
        string[] header = [idColumn, labelColumn];
        if (samplePath is not null)
        {
            var rows = Csv.Read(samplePath);
            if (rows.Count < 1 || rows[0].Length < 2) throw new PodiumException($"{samplePath}: a sample submission needs a header with " +
                $"an id and a label column");
            header = rows[0];
            idColumn = header[0];
            var columns = header[1..];
            if (columns.Length == classes.Count && columns.All(classes.Contains))
                probabilityColumns = columns.Select(c => classes.ToList().IndexOf(c)).ToArray();
            else if (columns.Length != 1)
                throw new PodiumException($"{samplePath}: {columns.Length} columns after the id, neither one label column nor the " +
                    $"{classes.Count} classes ({string.Join(", ", classes)})");
            order = rows.Skip(1).Select(r => r[0]).ToList();
            style = order.Count > 0 && Path.HasExtension(order[0]) ? "filename" : "stem";
        }

        var byId = new Dictionary<string, int>();
        for (int row = 0; row < count; row++)
        {
            var id = idOf(row, style);
            if (!byId.TryAdd(id, row))
                throw new PodiumException($"{locate(row)}: id '{id}' occurs twice; use --id-style path");
        }

        if (order is not null)
        {
            var missing = order.Count(id => !byId.ContainsKey(id));
            var extra = byId.Keys.Except(order).Count();
            if (missing > 0 || extra > 0)
                throw new PodiumException($"{samplePath}: ids do not match the predictions: {missing} missing, {extra} extra" +
                    (missing > 0 ? $" (first missing: {order.First(id => !byId.ContainsKey(id))})" : "") +
                    (extra > 0 ? $" (first extra: {byId.Keys.Except(order).First()})" : ""));
        }
        var ids = order ?? byId.Keys.Order(StringComparer.Ordinal).ToList();
        string Row(string id)
        {
            int r = byId[id];
            return probabilityColumns is null
                ? Csv.Line([id, LabelOf(r)])
                : Csv.Line([id, .. probabilityColumns.Select(c => probabilities[r, c].ToString("G6",
                    System.Globalization.CultureInfo.InvariantCulture))]);
        }
        AtomicFile.WriteAllLines(outPath, [Csv.Line(header), .. ids.Select(Row)]);
        return ids.Count;
    }
}
