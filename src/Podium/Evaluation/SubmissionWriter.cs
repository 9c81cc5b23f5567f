using Podium.Config;
using Podium.Data;
using Podium.Tracking;

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
    public static int Write(string outPath, ImageDataset data, Predictions predictions, IReadOnlyList<string> classes,
        SubmissionConfig options, string? samplePath = null)
    {
        var predicted = predictions.Predicted;
        string idColumn = options.IdColumn, labelColumn = options.LabelColumn, style = options.IdStyle;
        List<string>? order = null;
        if (samplePath is not null)
        {
            var rows = Csv.Read(samplePath);
            if (rows.Count < 1 || rows[0].Length < 2) throw new PodiumException($"{samplePath}: a sample submission needs a header with an id and a label column");
            (idColumn, labelColumn) = (rows[0][0], rows[0][1]);
            order = rows.Skip(1).Select(r => r[0]).ToList();
            style = order.Count > 0 && Path.HasExtension(order[0]) ? "filename" : "stem";
        }

        var byId = new Dictionary<string, string>();
        for (int row = 0; row < predicted.Length; row++)
        {
            var id = IdFor(data, predictions.Indices[row], style);
            if (!byId.TryAdd(id, classes[predicted[row]]))
                throw new PodiumException($"{data.Locate(predictions.Indices[row])}: id '{id}' occurs twice; use --id-style path");
        }

        if (order is not null)
        {
            var missing = order.Count(id => !byId.ContainsKey(id));
            var extra = byId.Keys.Except(order).Count();
            if (missing > 0 || extra > 0)
                throw new PodiumException($"{samplePath}: ids do not match the predictions: {missing} missing, {extra} extra" +
                    (missing > 0 ? $" (first missing: {order.First(id => !byId.ContainsKey(id))})" : ""));
        }
        var ids = order ?? byId.Keys.Order(StringComparer.Ordinal).ToList();
        AtomicFile.WriteAllLines(outPath, [Csv.Line([idColumn, labelColumn]), .. ids.Select(id => Csv.Line([id, byId[id]]))]);
        return ids.Count;
    }
}
