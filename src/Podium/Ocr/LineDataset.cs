using System.Globalization;
using OpenCvSharp;
using Podium.Data;

namespace Podium.Ocr;

/// <summary>
/// Text lines with their transcriptions, for recognition: from a lines CSV (<c>crop,text</c> columns, as <c>podium ocr lines</c>
/// and <c>ocr crop</c> write; crops.csv's image column groups a page's lines), MMOCR's text-recognition file
/// (<see cref="RecognitionManifest"/>) or from any text-detection data (ICDAR folders, MMOCR
/// and UFO manifests), whose regions are warped upright (<see cref="TextCrops.Crop"/>). Opening decodes every page once, in
/// parallel, and keeps the lines' crops in memory up to a byte budget (beyond it a line is cropped again when read). Regions
/// without a transcription, don't-care ones (###), empty transcriptions and degenerate crops (under 2 px a side) are left out and
/// counted. With context, each region's crop keeps that much of the page around it (<see cref="TextCrops.Margin"/>): reads give
/// the tight line, a <see cref="WithContext"/> view the line with its margin, for a collator to cut a random part of it.
/// </summary>
public sealed class LineDataset : ImageDataset
{
    private readonly Mat?[] _crops;
    private readonly (int Width, int Height)[] _sizes;
    private readonly int[] _margins;
    private readonly bool _wide;

    private LineDataset(IReadOnlyList<TextLine> lines, Mat?[] crops, (int, int)[] sizes, int[] margins, bool wide)
    {
        Lines = lines;
        _crops = crops;
        _sizes = sizes;
        _margins = margins;
        _wide = wide;
    }

    public IReadOnlyList<TextLine> Lines { get; }
    public override int Count => Lines.Count;
    public override IReadOnlyList<string> Classes { get; } = ["text"];
    public override int Label(int index) => 0;
    public override string Locate(int index) => Lines[index].Where;
    public override string[]? Groups() => [.. Lines.Select(l => l.Group)];

    /// <summary>The line's transcription.</summary>
    public string Text(int index) => Lines[index].Text;

    /// <summary>The line image's width and height in pixels (without its context).</summary>
    public (int Width, int Height) Size(int index) => _sizes[index];

    /// <summary>The lines at <paramref name="indices"/> (sharing the kept crops).</summary>
    public LineDataset Subset(IEnumerable<int> indices)
    {
        var pick = indices.ToArray();
        return new LineDataset([.. pick.Select(i => Lines[i])], [.. pick.Select(i => _crops[i])], [.. pick.Select(i => _sizes[i])],
            [.. pick.Select(i => _margins[i])], _wide);
    }

    /// <summary>The same lines (sharing the kept crops) read with their page context around them: <see cref="Margin"/> pixels a
    /// side.</summary>
    public LineDataset WithContext() => new(Lines, _crops, _sizes, _margins, wide: true);

    /// <summary>The context pixels around line <paramref name="index"/> that <see cref="Read"/> gives: 0 but in a
    /// <see cref="WithContext"/> view of lines cut from pages.</summary>
    public int Margin(int index) => _wide ? _margins[index] : 0;

    /// <summary>The crops kept in memory, in bytes.</summary>
    public long CachedBytes => _crops.Where(c => c is not null).Sum(c => c!.Total() * c.ElemSize());

    public override Mat Read(int index, int channels)
    {
        var line = Lines[index];
        // A kept crop (cut with its whole margin) is copied, less the margin this view does not give: readers own what they get
        // (transforms dispose their input).
        int margin = Margin(index), cut = _margins[index] - margin;
        Mat crop;
        if (_crops[index] is { } kept)
            using (var part = new Mat(kept, new Rect(cut, cut, kept.Width - 2 * cut, kept.Height - 2 * cut))) crop = part.Clone();
        else
        {
            using var page = ImageDecoder.Read(line.Source, 3);
            crop = line.Region is null ? page.Clone() : TextCrops.Crop(page, line.Region, margin);
        }
        if (channels == 3) return crop;
        using (crop) return crop.CvtColor(ColorConversionCodes.RGB2GRAY);
    }

    /// <summary>The lines at <paramref name="path"/> and what was left out; <paramref name="textPoints"/> as for text-detection data,
    /// <paramref name="policy"/> data.on_bad_input's (stop refuses data with any bad input); <paramref name="context"/> the page
    /// kept around each region, in line heights.</summary>
    public static (LineDataset Lines, List<SkippedInput> Skipped) Open(string path, int textPoints, string policy, long cacheBytes,
        double context = 0)
    {
        var skipped = new List<SkippedInput>();
        var candidates = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && File.Exists(path) ? FromCsv(path, skipped)
            : RecognitionManifest.Is(path) ? FromManifest(path, skipped)
            : FromRegions(path, textPoints, policy, skipped);
        var data = Decode(candidates, cacheBytes, context, skipped);
        new DatasetLoad(data, skipped).Enforce(policy);
        if (data.Count == 0) throw new PodiumException($"{path}: no text lines to read ({skipped.Count} left out" +
            (skipped.Count > 0 ? $": {SkippedInput.Summarize(skipped.Take(3))})" : ")"));
        return (data, skipped);
    }

    private static List<TextLine> FromCsv(string path, List<SkippedInput> skipped)
    {
        var lines = new List<TextLine>();
        foreach (var row in CsvRows(path, textRequired: true, skipped))
            if (Problem(row.Text) is { } p) skipped.Add(new(row.Where, p));
            else lines.Add(new TextLine(row.File, null, row.Number, row.Text!, row.Image ?? row.File));
        return lines;
    }

    /// <summary>A lines CSV's rows (crop, and text and image where it has those columns), crop paths relative to the CSV's folder;
    /// rows whose field count differs from the header's are added to <paramref name="skipped"/>.</summary>
    /// <param name="textRequired">Refuse a CSV without a text column (training needs it; reading does not).</param>
    public static List<(string Where, int Number, string File, string? Text, string? Image)> CsvRows(string path, bool textRequired,
        List<SkippedInput> skipped)
    {
        var rows = IO.Csv.Read(path);
        var header = rows.Count > 0 ? rows[0] : [];
        int crop = Array.IndexOf(header, "crop"), text = Array.IndexOf(header, "text"), image = Array.IndexOf(header, "image");
        var found = header.Length == 0 ? "no header" : string.Join(",", header);
        if (crop < 0 || (textRequired && text < 0))
            throw new PodiumException(textRequired ? $"{path}: a lines CSV needs crop and text columns (as podium ocr lines and ocr crop " +
                $"write), found {found}" : $"{path}: a lines CSV needs a crop column (and text, optionally), found {found}");
        var root = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var result = new List<(string, int, string, string?, string?)>();
        for (int r = 1; r < rows.Count; r++)
        {
            var row = rows[r];
            var where = $"{path} line {r + 1}";
            if (row.Length != header.Length) { skipped.Add(new(where, $"{row.Length} fields, the header has {header.Length}")); continue; }
            result.Add((where, r, Path.Combine(root, row[crop]), text >= 0 ? row[text] : null,
                image >= 0 && row[image].Length > 0 ? row[image] : null));
        }
        return result;
    }

    private static List<TextLine> FromManifest(string path, List<SkippedInput> skipped)
    {
        var lines = new List<TextLine>();
        foreach (var (where, image, text) in RecognitionManifest.Read(path, skipped))
            if (Problem(text) is { } p) skipped.Add(new(where, p));
            else lines.Add(new TextLine(image, null, lines.Count + 1, text!, image));
        return lines;
    }

    private static List<TextLine> FromRegions(string path, int textPoints, string policy, List<SkippedInput> skipped)
    {
        var load = DatasetReader.Open(path, textPoints: textPoints);
        skipped.AddRange(load.Skipped);
        var pages = TextRegionCheck.Fit(load.Enforce(policy), skipped);
        if (pages.Count == 0 || pages.Polygons(0) is null)
            throw new PodiumException($"{path}: no text lines (a lines CSV with crop and text columns, an ICDAR folder img/ + box/, or a " +
                $"text manifest)");
        var groups = pages.Groups();
        var lines = new List<TextLine>();
        for (int i = 0; i < pages.Count; i++)
        {
            var regions = pages.Polygons(i)!;
            for (int k = 0; k < regions.Count; k++)
            {
                var source = pages.Locate(i);
                if (Problem(regions[k].Tag) is { } p) { skipped.Add(new($"{source}#{k + 1}", p)); continue; }
                lines.Add(new TextLine(source, regions[k].Points, k + 1, regions[k].Tag!, groups?[i] ?? source));
            }
        }
        return lines;
    }

    private static string? Problem(string? text) => text switch
    {
        null => "a text region without a transcription",
        IcdarText.DontCare => "a don't-care region (###)",
        _ when text.Trim().Length == 0 => "an empty transcription",
        _ => null,
    };

    /// <summary>Decodes each page once (in parallel) for its lines' sizes, keeping crops while the budget lasts; a page that does not
    /// decode leaves its lines out, as does a degenerate crop.</summary>
    private static LineDataset Decode(List<TextLine> candidates, long cacheBytes, double context, List<SkippedInput> skipped)
    {
        var crops = new Mat?[candidates.Count];
        var sizes = new (int Width, int Height)[candidates.Count];
        var margins = new int[candidates.Count];
        var problems = new string?[candidates.Count];
        long used = 0;
        var pages = candidates.Select((l, i) => (l, i)).GroupBy(t => t.l.Source).ToList();
        Parallel.ForEach(pages, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, page =>
        {
            Mat image;
            try { image = ImageDecoder.Read(page.Key, 3); }
            catch (PodiumException e)
            {
                foreach (var (_, i) in page) problems[i] = e.Message.Replace(page.Key + ": ", "", StringComparison.Ordinal);
                return;
            }
            using (image)
                foreach (var (line, i) in page)
                {
                    int m = margins[i] = line.Region is null ? 0 : TextCrops.Margin(line.Region, context);
                    var crop = line.Region is null ? image.Clone() : TextCrops.Crop(image, line.Region, m);
                    sizes[i] = (crop.Width - 2 * m, crop.Height - 2 * m);
                    long bytes = crop.Total() * crop.ElemSize();
                    var (w, h) = sizes[i];
                    if (w < 2 || h < 2) problems[i] = string.Create(CultureInfo.InvariantCulture, $"a degenerate line ({w}x{h} px)");
                    else if (Interlocked.Add(ref used, bytes) <= cacheBytes) { crops[i] = crop; continue; }
                    else Interlocked.Add(ref used, -bytes);
                    crop.Dispose();
                }
        });
        var kept = new List<int>();
        for (int i = 0; i < candidates.Count; i++)
            if (problems[i] is { } p) skipped.Add(new SkippedInput(candidates[i].Where, p));
            else kept.Add(i);
        return new LineDataset([.. kept.Select(i => candidates[i])], [.. kept.Select(i => crops[i])], [.. kept.Select(i => sizes[i])],
            [.. kept.Select(i => margins[i])], wide: false);
    }
}
