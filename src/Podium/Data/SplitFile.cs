using System.Globalization;
using Podium.IO;

namespace Podium.Data;

/// <summary>
/// Split files: CSV manifests (path,label[,group]) with a <c>fold</c> or <c>subset</c> column, written
/// by <c>podium split</c> and read by training (<c>data.split</c> + <c>data.fold</c>). Being manifests,
/// they also work as <c>data.train</c> directly.
/// </summary>
public static class SplitFile
{
    public const string FoldColumn = "fold";
    public const string SubsetColumn = "subset";

    /// <summary>Whether a split file can list the data's images (an idx file's have no file of their own).</summary>
    public static bool CanList(ImageDataset data) => data is not IdxImageDataset;

    /// <summary>
    /// One row per sample whose first column value is not null, in dataset order. Paths are relative
    /// to the file's folder when <paramref name="relative"/> (data and split files move together).
    /// </summary>
    public static void Write(string path, ImageDataset data, string column, string?[] values, bool relative = true,
        IReadOnlyList<(string Name, string[] Values)>? extra = null)
    {
        if (!CanList(data)) throw new PodiumException($"{data.Locate(0).Split('#')[0]}: split files list image files; an idx " +
            $"file has none (write the images out first)");
        var groups = data.Groups();
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var header = new List<string> { "path", "label" };
        if (groups is not null) header.Add("group");
        header.Add(column);
        header.AddRange(extra?.Select(e => e.Name) ?? []);
        var lines = new List<string> { Csv.Line(header) };
        for (int i = 0; i < data.Count; i++)
        {
            if (values[i] is null) continue;
            var full = Path.GetFullPath(data.Locate(i));
            var row = new List<string> { relative ? Path.GetRelativePath(dir, full).Replace('\\', '/') : full, LabelField(data, i) };
            if (groups is not null) row.Add(groups[i]);
            row.Add(values[i]!);
            row.AddRange(extra?.Select(e => e.Values[i]) ?? []);
            lines.Add(Csv.Line(row));
        }
        // "\n" whatever the platform: the same inputs give byte-identical files.
        IO.AtomicFile.Write(path, temp => File.WriteAllText(temp, string.Join('\n', lines) + "\n"));
    }

    /// <summary>A sample's label as a manifest writes it: the class, a multi-label sample's labels space-separated, empty when
    /// unknown.</summary>
    public static string LabelField(ImageDataset data, int i) =>
        data.MultiLabel ? string.Join(' ',
            (data.Tags(i) ?? []).Select(t => data.Classes[t])) : data.Label(i) >= 0 ? data.Classes[data.Label(i)] : "";

    /// <summary>
    /// Reads a split file for training: with a fold column, <paramref name="fold"/> is validation and the
    /// other folds train; with a subset column, train/val/test rows. Test rows are kept out of training.
    /// </summary>
    public static SplitAssignment Read(string path, int? fold, IReadOnlyList<string>? classes = null, bool multiLabel = false)
    {
        // A split file repeats an image on purpose (a test row and its pseudo-labelled training copy); podium split wrote it from a
        // manifest read without repeats.
        var load = DatasetReader.Open(path, classes, multiLabel: multiLabel, keepRepeats: true);
        if (load.Dataset is not FileImageDataset data) throw new PodiumException($"{path}: a split file is a CSV manifest with a fold or " +
            $"subset column");
        var rows = Csv.Read(path);
        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int pathCol = Array.IndexOf(header, "path");
        int foldCol = Array.IndexOf(header, FoldColumn), subsetCol = Array.IndexOf(header, SubsetColumn);
        if (pathCol < 0 || (foldCol < 0 && subsetCol < 0))
            throw new PodiumException($"{path}: not a split file (needs a path column and a '{FoldColumn}' or '{SubsetColumn}' column; " +
                $"write one with podium split)");
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        int pseudoCol = Array.IndexOf(header, "pseudo");
        // An image may stand on several rows (a test image and its pseudo-labelled training copy): each
        // dataset entry takes the next row of its path, in file order, as the reader made them.
        var assigned = new Dictionary<string, Queue<(string Side, bool Pseudo)>>(StringComparer.Ordinal);
        for (int r = 1; r < rows.Count; r++)
        {
            if (rows[r].Length != header.Length) continue; // reported by the reader as skipped
            var rel = rows[r][pathCol].Trim();
            var key = Path.GetFullPath(Path.IsPathRooted(rel) ? rel : Path.Combine(baseDir, rel));
            if (!assigned.TryGetValue(key, out var queue)) assigned[key] = queue = new();
            queue.Enqueue((rows[r][foldCol >= 0 ? foldCol : subsetCol].Trim(), pseudoCol >= 0 && rows[r][pseudoCol].Trim() == "1"));
        }
        var sides = new (string Side, bool Pseudo)[data.Count];
        for (int i = 0; i < data.Count; i++) sides[i] = assigned[Path.GetFullPath(data.Files[i].Path)].Dequeue();
        string Of(int i) => sides[i].Side;
        var all = Enumerable.Range(0, data.Count);
        int[]? pseudo = pseudoCol >= 0 ? all.Where(i => sides[i].Pseudo).ToArray() : null;
        if (foldCol >= 0)
        {
            var folds = all.Select(i => int.TryParse(Of(i), NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) ? f
                : throw new PodiumException($"{path}: fold '{Of(i)}' of {data.Files[i].Path} is not a number")).ToArray();
            var known = folds.Where(f => f >= 0).Distinct().Order().ToArray(); // fold −1: training in every fold (pseudo-labels)
            if (fold is null) throw new PodiumException($"{path}: a k-fold split file; set data.fold to the validation fold (one of " +
                $"{string.Join(", ", known)})");
            if (!known.Contains(fold.Value)) throw new PodiumException($"{path}: data.fold {fold} is not in the file (folds " +
                $"{string.Join(", ", known)})");
            return new SplitAssignment(data, all.Where(i => folds[i] != fold).ToArray(),
                all.Where(i => folds[i] == fold).ToArray(), [], load.Skipped, $"fold {fold} of {known.Length} from {path}", pseudo);
        }
        var bad = all.FirstOrDefault(i => Of(i) is not ("train" or "val" or "test"), -1);
        if (bad >= 0) throw new PodiumException($"{path}: subset '{Of(bad)}' of {data.Files[bad].Path}: expected train, val or test");
        if (fold is not null) throw new PodiumException($"{path}: data.fold is set but the file has subsets, not folds");
        int[] Subset(string name) => all.Where(i => Of(i) == name).ToArray();
        if (pseudo is not null && pseudo.Any(i
            => Of(i) != "train")) throw new PodiumException($"{path}: a pseudo-labelled row is not on the training side");
        return new SplitAssignment(data, Subset("train"), Subset("val"), Subset("test"), load.Skipped, $"subsets of {path}", pseudo);
    }
}
