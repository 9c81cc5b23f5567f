using System.Globalization;
using OpenCvSharp;
using Podium.Data;
using Podium.Evaluation;
using Podium.IO;
using Podium.Ocr;

namespace Podium.Runs;

/// <summary>
/// <c>podium ocr recognize</c> as a service: line images read by a recogniser into one CSV (line, read, confidence, and the truth
/// and its edits where known), scored when the lines come with transcriptions. The lines: a lines CSV (crop and, optionally, text
/// columns, as <c>ocr crop</c> and <c>ocr lines</c> write), text-detection data (its regions warped upright,
/// <see cref="LineDataset"/>), or an image or a folder of line images.
/// </summary>
public static class LineReadings
{
    /// <summary>What a pass read: lines, inputs left out, the score over the lines with a truth (null when none had one), and the
    /// milliseconds per line of the network and of decoding.</summary>
    public sealed record Summary(int Lines, IReadOnlyList<SkippedInput> Skipped, TextRecognitionScore? Score, double NetworkMs,
        double DecodeMs);

    /// <summary>Lines read per pass (their images are decoded for the pass only: memory stays bounded).</summary>
    private const int Chunk = 512;

    public static Summary Read(TextRecognizer recognizer, string input, string outCsv, bool beam, int textPoints, Action<string> log)
    {
        var (lines, skipped) = Lines(input, textPoints);
        var rows = new List<string> { "line,read,confidence,truth,edits" };
        var scored = new List<(string Truth, string Read)>();
        double network = recognizer.NetworkMs, decode = recognizer.GreedyMs + recognizer.BeamMs;
        int done = 0;
        foreach (var chunk in lines.Chunk(Chunk))
        {
            var images = new List<Mat>(chunk.Length);
            try
            {
                foreach (var line in chunk) images.Add(line.Load());
                var read = recognizer.Read(images, beam);
                for (int k = 0; k < chunk.Length; k++)
                {
                    var (where, truth, _) = chunk[k];
                    if (truth is not null) scored.Add((truth, read[k].Text));
                    rows.Add(Csv.Line([where, read[k].Text, read[k].Confidence.ToString("0.####", CultureInfo.InvariantCulture),
                        truth ?? "", truth is null ? "" : Platform.EditDistance.Levenshtein(truth, read[k].Text)
                            .ToString(CultureInfo.InvariantCulture)]));
                }
            }
            finally { images.ForEach(i => i.Dispose()); }
            done += chunk.Length;
            log($"{done} of {lines.Count} lines read");
        }
        AtomicFile.WriteAllLines(outCsv, rows);
        double n = Math.Max(1, lines.Count);
        return new Summary(lines.Count, skipped, scored.Count > 0 ? TextRecognitionScore.Of(scored) : null,
            (recognizer.NetworkMs - network) / n, (recognizer.GreedyMs + recognizer.BeamMs - decode) / n);
    }

    private static (List<(string Where, string? Truth, Func<Mat> Load)> Lines, List<SkippedInput> Skipped) Lines(string input,
        int textPoints)
    {
        if (input.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return FromCsv(input);
        bool images = (File.Exists(input) && ImageDecoder.HasImageExtension(input)) || (Directory.Exists(input)
            && Directory.GetDirectories(input).Length == 0 && Directory.EnumerateFiles(input).Any(ImageDecoder.HasImageExtension));
        if (images)
        {
            var (files, skipped) = OcrInputs.Images(input);
            return ([.. files.Select(f => (f, (string?)null, (Func<Mat>)(() => ImageDecoder.Read(f, 3))))], skipped);
        }
        var (data, left) = LineDataset.Open(input, textPoints, "skip", cacheBytes: 1L << 30);
        return ([.. Enumerable.Range(0, data.Count)
            .Select(i => (data.Locate(i), (string?)data.Text(i), (Func<Mat>)(() => data.Read(i, 3))))], left);
    }

    private static (List<(string, string?, Func<Mat>)>, List<SkippedInput>) FromCsv(string path)
    {
        if (!File.Exists(path)) throw new PodiumException($"{path}: no such file");
        var skipped = new List<SkippedInput>();
        var lines = new List<(string, string?, Func<Mat>)>();
        foreach (var row in LineDataset.CsvRows(path, textRequired: false, skipped))
        {
            if (ImageDecoder.Problem(row.File) is { } problem) { skipped.Add(new(row.File, problem)); continue; }
            // An empty transcription is no truth (ocr crop leaves it empty for regions it does not know).
            lines.Add((row.File, string.IsNullOrEmpty(row.Text) ? null : row.Text, () => ImageDecoder.Read(row.File, 3)));
        }
        if (lines.Count == 0) throw new PodiumException($"{path}: no line images to read ({skipped.Count} left out)");
        return (lines, skipped);
    }
}
