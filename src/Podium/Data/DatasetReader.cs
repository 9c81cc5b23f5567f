using OpenCvSharp;
using Podium.IO;

namespace Podium.Data;

/// <summary>
/// Opens a dataset from a path: an ImageFolder tree (a folder per class), an OCR folder (img/ + box/,
/// ICDAR 2015 / SROIE) or MMOCR-style .json text manifest, a flat folder of
/// unlabelled images, a CSV manifest (path[,label], relative to the CSV), or MNIST idx files.
/// </summary>
public static class DatasetReader
{
    private static readonly string[] PathColumns = ["path", "file", "filename", "image", "image_path", "id"];
    private static readonly string[] LabelColumns = ["label", "class", "target", "category"];
    private static readonly string[] GroupColumns = ["group", "source"];

    /// <param name="classes">The classes of the training data, for validation/test data; null to take them from the data.</param>
    /// <param name="labelled">False for prediction inputs: labels are not required.</param>
    /// <param name="groupColumn">The CSV column that groups rows (default: a column named group or source).</param>
    /// <param name="multiLabel">The label column holds space-separated labels, any number per image (data.multi_label).</param>
    /// <param name="textPoints">ICDAR text folders: points per line (4), or 0 for polygons of any length.</param>
    /// <param name="keepRepeats">A CSV's repeated rows are meant (a split file: a test row and its pseudo-labelled training copy);
    /// otherwise a repeat is left out with a line.</param>
    public static DatasetLoad Open(string path, IReadOnlyList<string>? classes = null, bool labelled = true, string? groupColumn = null,
        bool multiLabel = false, int textPoints = Data.IcdarText.QuadPoints, bool keepRepeats = false)
    {
        if (groupColumn is not null && !path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            throw new PodiumException($"{path}: a group column ({groupColumn}) needs a CSV manifest, not a folder or idx file");
        if (multiLabel && labelled && !path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            throw new PodiumException($"{path}: multi-label data is a CSV manifest (path,label with the labels space-separated), not a " +
                $"folder or idx file");
        if (multiLabel && File.Exists(path)) return OpenCsv(path, classes, labelled, groupColumn, keepRepeats, multiLabel: true);
        if (Directory.Exists(path)) return OpenFolder(path, classes, labelled, textPoints);
        if (!File.Exists(path)) throw new PodiumException($"{path}: no such file or folder");
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return OpenCsv(path, classes, labelled, groupColumn, keepRepeats);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return Data.TextManifest.Open(path);
        if (IdxImageDataset.LooksLikeIdx(path))
        {
            var idx = new IdxImageDataset(path);
            if (labelled && idx.Classes.Count == 0)
                throw new PodiumException($"{path}: no labels file found beside it ({IdxImageDataset.LabelsPathFor(path)})");
            return new DatasetLoad(idx, []);
        }
        throw new PodiumException($"{path}: not a folder, a .csv manifest or an idx file");
    }

    /// <summary>
    /// For looking at data (EDA, previews), where labels are welcome but not required: labelled when
    /// the path is a file or a folder with sub-folders (classes, or img/ + box/), else a flat folder of images.
    /// </summary>
    public static DatasetLoad OpenToLook(string path, int textPoints = Data.IcdarText.QuadPoints) =>
        Open(path, labelled: !Directory.Exists(path) || Directory.GetDirectories(path).Length > 0, textPoints: textPoints);

    private static DatasetLoad OpenFolder(string root, IReadOnlyList<string>? classes, bool labelled, int textPoints)
    {
        if (labelled && Data.IcdarText.LooksLikeIcdarFolder(root, out var imageDir, out var annotationDir))
            return Data.IcdarText.OpenFolder(root, imageDir, annotationDir, textPoints);
        var skipped = new List<SkippedInput>();
        var subdirs = Directory.GetDirectories(root).Where(d => !Path.GetFileName(d).StartsWith('.'))
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal).ToArray();
        if (!labelled)
        {
            // Prediction input: every image below the folder, whatever its sub-folders are called.
            var all = new FolderWalk(skipped).Files(root);
            var files = Collect(all, ImageDataset.Unlabelled, skipped);
            return new DatasetLoad(new FileImageDataset(files, classes ?? [], root), skipped);
        }

        if (subdirs.Length == 0) throw new PodiumException($"{root}: no class folders (an ImageFolder tree has one folder per class)");
        var found = new List<ImageFile>();
        var classList = classes?.ToList() ?? [];
        // Every class folder is claimed before any is walked, so a link into one from another is read once, as its own class.
        var walk = new FolderWalk(skipped);
        subdirs = subdirs.Where(walk.Claim).ToArray();
        foreach (var dir in subdirs)
        {
            var name = Path.GetFileName(dir);
            var paths = walk.Files(dir);
            if (classes is not null)
            {
                int label = classList.IndexOf(name);
                if (label < 0)
                {
                    var hint = Config.ConfigLoader.Suggest(name, classList);
                    skipped.Add(new SkippedInput(dir,
                        $"unknown label '{name}' (not a training class{(hint is null ? "" : $"; did you mean '{hint}'?")})"));
                    continue;
                }
                found.AddRange(Collect(paths, label, skipped));
                continue;
            }
            if (!paths.Any(ImageDecoder.HasImageExtension))
            {
                skipped.Add(new SkippedInput(dir, "empty class folder (no images)"));
                continue;
            }
            // A class is made by its readable images: a folder whose every file is bad would be a class nothing can teach.
            var readable = Collect(paths, classList.Count, skipped);
            if (readable.Count == 0)
            {
                skipped.Add(new SkippedInput(dir, "a class folder without one readable image (its files are listed): left out"));
                continue;
            }
            classList.Add(name);
            found.AddRange(readable);
        }
        foreach (var loose in Directory.GetFiles(root).Where(ImageDecoder.HasImageExtension)) skipped.Add(new SkippedInput(loose,
            "image outside any class folder"));
        if (found.Count == 0) throw new PodiumException($"{root}: no readable images in its class folders");
        return new DatasetLoad(new FileImageDataset(found, classList, root), skipped);
    }

    private static List<ImageFile> Collect(IEnumerable<string> paths, int label, List<SkippedInput> skipped)
    {
        var files = new List<ImageFile>();
        foreach (var p in paths)
        {
            var name = Path.GetFileName(p);
            if (name.StartsWith('.')) continue; // hidden files (.DS_Store) are not data
            var problem = ImageDecoder.Problem(p);
            if (problem is null) files.Add(new ImageFile(p, label));
            else skipped.Add(new SkippedInput(p, problem));
        }
        return files;
    }

    /// <summary>Box columns: x,y,w,h (corner and size) or x1,y1,x2,y2 (corners); null when the CSV has neither.</summary>
    private static (int A, int B, int C, int D, bool Corners)? BoxColumns(string[] header)
    {
        int[] Find(params string[] names) => names.Select(n => Array.IndexOf(header, n)).ToArray();
        var size = Find("x", "y", "w", "h");
        if (size.All(i => i >= 0)) return (size[0], size[1], size[2], size[3], false);
        var corners = Find("x1", "y1", "x2", "y2");
        if (corners.All(i => i >= 0)) return (corners[0], corners[1], corners[2], corners[3], true);
        return null;
    }

    /// <summary>The row's box, null when its box fields are all empty (that image has none); a problem for anything else odd.</summary>
    private static string? ReadBox(string[] row, (int A, int B, int C, int D, bool Corners) c, out Rect2d? box)
    {
        box = null;
        var fields = new[] { row[c.A], row[c.B], row[c.C], row[c.D] }.Select(f => f.Trim()).ToArray();
        if (fields.All(f => f.Length == 0)) return null;
        var v = new double[4];
        for (int k = 0; k < 4; k++)
            if (!double.TryParse(fields[k], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture,
                out v[k]))
                return $"box field '{fields[k]}' is not a number";
        var (x, y, w, h) = c.Corners ? (v[0], v[1], v[2] - v[0], v[3] - v[1]) : (v[0], v[1], v[2], v[3]);
        if (w <= 0 || h <= 0) return $"empty box ({(c.Corners ? "x2 <= x1 or y2 <= y1" : "w or h <= 0")})";
        box = new Rect2d(x, y, w, h);
        return null;
    }

    /// <summary>A multi-label field's labels: split on whitespace, each once.</summary>
    public static string[] SplitTags(string field) => field.Split((char[]?)null,
        StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();

    private static DatasetLoad OpenCsv(string csvPath, IReadOnlyList<string>? classes, bool labelled, string? groupColumn,
        bool keepRepeats, bool multiLabel = false)
    {
        var rows = Csv.Read(csvPath);
        if (rows.Count == 0) throw new PodiumException($"{csvPath}: empty CSV (a header row path,label is expected)");
        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int pathCol = Array.FindIndex(header, h => PathColumns.Contains(h));
        int labelCol = Array.FindIndex(header, h => LabelColumns.Contains(h));
        int groupCol = groupColumn is null ? Array.FindIndex(header, h => GroupColumns.Contains(h)) : Array.IndexOf(header,
            groupColumn.Trim().ToLowerInvariant());
        if (groupColumn is not null
            && groupCol < 0) throw new PodiumException($"{csvPath}: no column '{groupColumn}' in the header ({string.Join(", ", header)})");
        if (pathCol < 0) throw new PodiumException($"{csvPath}: no path column in the header (one of: {string.Join(", ", PathColumns)})");
        if (labelled && labelCol < 0) throw new PodiumException($"{csvPath}: no label column in the header (one of: " +
            $"{string.Join(", ", LabelColumns)})");

        var baseDir = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var skipped = new List<SkippedInput>();
        var box = BoxColumns(header);
        var entries = new List<(string Path, string? Label, int Line, string? Group, Rect2d? Box)>();
        for (int r = 1; r < rows.Count; r++)
        {
            var row = rows[r];
            string where = $"{csvPath} line {r + 1}";
            if (row.Length != header.Length)
            {
                skipped.Add(new SkippedInput(where, $"{row.Length} fields, the header has {header.Length}"));
                continue;
            }
            var rel = row[pathCol].Trim();
            var full = Path.IsPathRooted(rel) ? rel : Path.Combine(baseDir, rel);
            if (!File.Exists(full)) { skipped.Add(new SkippedInput(where, $"file not found: {rel}")); continue; }
            var problem = ImageDecoder.Check(full);
            if (problem is not null) { skipped.Add(new SkippedInput($"{where} ({rel})", problem)); continue; }
            Rect2d? rect = null;
            if (box is not null)
            {
                var boxProblem = ReadBox(row, box.Value, out rect);
                if (boxProblem is not null) { skipped.Add(new SkippedInput($"{where} ({rel})", boxProblem)); continue; }
            }
            entries.Add((full, labelCol >= 0 ? row[labelCol].Trim() : null, r + 1,
                groupCol >= 0 && row[groupCol].Length > 0 ? row[groupCol] : null, rect));
        }

        if (labelled && !keepRepeats) entries = Distinct(csvPath, entries, skipped, multiLabel);
        if (multiLabel) return MultiLabelRows(csvPath, entries, classes, labelled, skipped, baseDir);
        var classList = classes?.ToList()
            ?? entries.Where(e => !string.IsNullOrEmpty(e.Label)).Select(e => e.Label!).Distinct().Order(StringComparer.Ordinal).ToList();
        var files = new List<ImageFile>();
        foreach (var (path, label, line, group, rect) in entries)
        {
            if (!labelled || string.IsNullOrEmpty(label))
            {
                files.Add(new ImageFile(path, ImageDataset.Unlabelled, group, rect)); continue;
            }
            int index = classList.IndexOf(label);
            if (index < 0)
            {
                var hint = Config.ConfigLoader.Suggest(label, classList);
                skipped.Add(new SkippedInput($"{csvPath} line {line}",
                    $"unknown label '{label}'{(hint is null ? "" : $" (did you mean '{hint}'?)")}"));
                continue;
            }
            files.Add(new ImageFile(path, index, group, rect));
        }
        if (files.Count == 0) throw new PodiumException($"{csvPath}: no usable rows ({skipped.Count} " +
            $"skipped{(skipped.Count > 0 ? ": " + skipped[0].Problem : "")})");
        return new DatasetLoad(new FileImageDataset(files, classList, baseDir), skipped);
    }

    /// <summary>
    /// One sample per image (or per box of an image): a row repeating an earlier one is left out (it would land on both sides of
    /// a split), and an image listed under different labels is left out whole (which label is true cannot be told).
    /// </summary>
    private static List<(string Path, string? Label, int Line, string? Group, Rect2d? Box)> Distinct(string csvPath,
        List<(string Path, string? Label, int Line, string? Group, Rect2d? Box)> entries, List<SkippedInput> skipped, bool multiLabel)
    {
        var kept = new List<(string Path, string? Label, int Line, string? Group, Rect2d? Box)>();
        foreach (var same in entries.GroupBy(e => (Path.GetFullPath(e.Path), e.Box)).OrderBy(g => g.First().Line))
        {
            var first = same.First();
            var labels = same.Select(e => multiLabel ? TagSet(e.Label) : e.Label ?? "").Distinct().ToList();
            if (labels.Count > 1)
            {
                var listing = string.Join(", ", same.Select(e => $"'{e.Label}' at line {e.Line}"));
                skipped.AddRange(same.Select(e => new SkippedInput($"{csvPath} line {e.Line}",
                    $"the same image under different labels ({listing}): left out")));
                continue;
            }
            kept.Add(first);
            skipped.AddRange(same.Skip(1).Select(e => new SkippedInput($"{csvPath} line {e.Line}",
                $"a repeat of line {first.Line} (same image, same label)")));
        }
        return [.. kept.OrderBy(e => e.Line)];
    }

    /// <summary>A multi-label field as a comparable value: its labels in order.</summary>
    private static string TagSet(string? field) => string.Join(" ", SplitTags(field ?? "").Order(StringComparer.Ordinal));

    /// <summary>
    /// Multi-label rows: each label field is a set of labels (empty: an image with none). A sample's
    /// <see cref="ImageDataset.Label"/> is its rarest label, so stratified splits keep rare labels on both sides.
    /// </summary>
    private static DatasetLoad MultiLabelRows(string csvPath, List<(string Path, string? Label, int Line, string? Group,
        Rect2d? Box)> entries,
        IReadOnlyList<string>? classes, bool labelled, List<SkippedInput> skipped, string baseDir)
    {
        var classList = classes?.ToList()
            ?? entries.SelectMany(e => SplitTags(e.Label ?? "")).Distinct().Order(StringComparer.Ordinal).ToList();
        var rows = new List<(ImageFile File, int[]? Tags)>();
        foreach (var (path, label, line, group, rect) in entries)
        {
            if (!labelled) { rows.Add((new ImageFile(path, ImageDataset.Unlabelled, group, rect), null)); continue; }
            var names = SplitTags(label ?? "");
            var unknown = names.FirstOrDefault(t => !classList.Contains(t));
            if (unknown is not null)
            {
                var hint = Config.ConfigLoader.Suggest(unknown, classList);
                skipped.Add(new SkippedInput($"{csvPath} line {line}",
                    $"unknown label '{unknown}'{(hint is null ? "" : $" (did you mean '{hint}'?)")}"));
                continue;
            }
            rows.Add((new ImageFile(path, ImageDataset.Unlabelled, group, rect),
                names.Select(t => classList.IndexOf(t)).Order().ToArray()));
        }
        if (rows.Count == 0) throw new PodiumException($"{csvPath}: no usable rows ({skipped.Count} " +
            $"skipped{(skipped.Count > 0 ? ": " + skipped[0].Problem : "")})");
        var frequency = new int[classList.Count];
        foreach (var t in rows.SelectMany(r => r.Tags ?? [])) frequency[t]++;
        var files = rows.Select(r => r.Tags is null || r.Tags.Length == 0 ? r.File with { Tags = r.Tags }
            : r.File with { Label = r.Tags.MinBy(t => (frequency[t], t)), Tags = r.Tags }).ToList();
        return new DatasetLoad(new FileImageDataset(files, classList, baseDir, multiLabel: true), skipped);
    }
}
