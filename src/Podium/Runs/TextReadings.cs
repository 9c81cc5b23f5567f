using System.Globalization;
using Podium.Data;
using Podium.IO;
using Podium.Ocr;

namespace Podium.Runs;

/// <summary>
/// <c>podium ocr read</c> as a service: every page of an input (an image or a folder) detected and read into per-page files
/// (<see cref="ReadingOutput"/>), and, given a folder of ICDAR truth files (NAME.txt or gt_NAME.txt with transcriptions), scored
/// end to end (<see cref="EndToEndScore"/>) into scores.csv (per page) and scores.json.
/// </summary>
public static class TextReadings
{
    /// <summary>What a reading pass did: pages, regions, inputs left out, pages without a truth file, the scores when there was
    /// truth, and the median milliseconds per page of each stage.</summary>
    public sealed record ReadSummary(int Pages, int Regions, IReadOnlyList<SkippedInput> Skipped, int MissingTruth, EndToEndScore? Score,
        PageReading Median, KeyFieldScore? Fields = null, KeyFieldScore? FieldsFromTruth = null);

    /// <param name="fields">Extract each page's receipt fields (<see cref="ReceiptRules"/>) into NAME.json.</param>
    /// <param name="keysDir">SROIE key files (NAME.json) to score the fields against: from the read text, and from the truth lines
    /// when <paramref name="truthDir"/> is given (what the rules do with perfect reading).</param>
    public static ReadSummary Read(PageReader reader, string input, string outDir, string? truthDir, int textPoints, Action<string> log,
        bool fields = false, string? keysDir = null)
    {
        if (keysDir is not null && !Directory.Exists(keysDir)) throw new PodiumException($"{keysDir}: no such folder of key files");
        var keyed = new List<(KeyFields Truth, KeyFields Found)>();
        var keyedFromTruth = new List<(KeyFields Truth, KeyFields Found)>();
        var (images, skipped) = OcrInputs.Images(input);
        if (truthDir is not null && !Directory.Exists(truthDir)) throw new PodiumException($"{truthDir}: no such folder of truth files");
        var pages = new List<PageScore>();
        var readings = new List<PageReading>();
        int regions = 0, missing = 0;
        foreach (var path in images)
        {
            using var image = ImageDecoder.Read(path, 3);
            var page = reader.Read(image);
            readings.Add(page);
            regions += page.Regions.Count;
            var found = fields || keysDir is not null ? ReceiptRules.Extract(page.Text.Split('\n')) : null;
            ReadingOutput.Write(outDir, path, image, page, found);
            var line = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}: {page.Regions.Count} regions, " +
                $"{page.TotalMs:F0} ms");
            var stem = Path.GetFileNameWithoutExtension(path);
            PageScore? score = null;
            if (truthDir is not null)
            {
                var file = IcdarText.BoxesFile(truthDir, path);
                if (file is null) missing++;
                else
                {
                    score = PageScore.Of(Path.GetFileName(path), IcdarText.Read(file, textPoints, skipped), page.Regions);
                    pages.Add(score);
                    line += string.Create(CultureInfo.InvariantCulture, $"; {score.Correct} of {score.Truth} truth lines read exactly");
                }
            }
            if (keysDir is not null && File.Exists(Path.Combine(keysDir, stem + ".json")))
            {
                var truth = KeyFields.Load(Path.Combine(keysDir, stem + ".json"));
                keyed.Add((truth, found!));
                if (score is not null) keyedFromTruth.Add((truth, ReceiptRules.Extract(score.TruthText.Split('\n'))));
            }
            log(line);
        }
        EndToEndScore? total = null;
        if (pages.Count > 0)
        {
            total = EndToEndScore.Of(pages);
            AtomicFile.WriteAllLines(Path.Combine(outDir, "scores.csv"), [
                "page,truth,read,located,correct,cer,word_f1",
                .. pages.Select(p =>
                {
                    var text = Evaluation.TextRecognitionScore.Of([(p.TruthText, p.ReadText)]);
                    return string.Create(CultureInfo.InvariantCulture,
                        $"{Csv.Escape(p.Name)},{p.Truth},{p.Read},{p.Located},{p.Correct},{text.CharacterErrorRate:0.####}," +
                        $"{text.WordF1:0.####}");
                })]);
        }
        KeyFieldScore? kie = keyed.Count > 0 ? KeyFieldScore.Of(keyed) : null, kieTruth = keyedFromTruth.Count > 0
            ? KeyFieldScore.Of(keyedFromTruth) : null;
        if (total is not null || kie is not null) WriteScores(outDir, total, kie, kieTruth);
        return new ReadSummary(images.Count, regions, skipped, missing, total, Median(readings), kie, kieTruth);
    }

    private static void WriteScores(string outDir, EndToEndScore? total, KeyFieldScore? kie, KeyFieldScore? kieTruth)
    {
        var scores = new Dictionary<string, object>();
        if (total is not null)
        {
            scores["pages"] = total.Pages.Count;
            scores["e2e_precision"] = total.Precision;
            scores["e2e_recall"] = total.Recall;
            scores["e2e_hmean"] = total.Hmean;
            scores["detection_hmean"] = total.DetectionHmean;
            scores["cer"] = total.Text.CharacterErrorRate;
            scores["ncer"] = total.Text.NormalizedCharacterErrorRate;
            scores["word_precision"] = total.Text.WordPrecision;
            scores["word_recall"] = total.Text.WordRecall;
            scores["word_f1"] = total.Text.WordF1;
        }
        if (kie is not null) scores["fields"] = new { receipts = kie.Receipts, exact = kie.Exact, loose = kie.Loose };
        if (kieTruth is not null)
            scores["fields_from_truth"] = new { receipts = kieTruth.Receipts, exact = kieTruth.Exact, loose = kieTruth.Loose };
        AtomicFile.WriteAllText(Path.Combine(outDir, "scores.json"), System.Text.Json.JsonSerializer.Serialize(scores, JsonFiles.Options));
    }

    /// <summary>Each stage's median over the pages (the first warms the networks up and is left out when there are more).</summary>
    private static PageReading Median(List<PageReading> pages)
    {
        var used = pages.Count > 1 ? pages.Skip(1).ToList() : pages;
        double M(Func<PageReading, double> f)
        {
            var v = used.Select(f).Order().ToArray();
            return v.Length == 0 ? 0 : v[v.Length / 2];
        }
        return new PageReading([], M(p => p.DetectNetworkMs), M(p => p.DetectPostProcessMs), M(p => p.CropMs), M(p => p.RecognizeNetworkMs),
            M(p => p.DecodeMs));
    }

    /// <summary>Plain-text readings (NAME.txt per page, any OCR tool's) against truth files: the text score over pages (reading order:
    /// the truth's lines ordered as <see cref="ReadingOrder"/> does) and, given SROIE key files, the fields the rules find in the
    /// text. Pages without a reading count as read empty.</summary>
    public static (Evaluation.TextRecognitionScore Text, KeyFieldScore? Fields, int Pages, int Unread) ScoreText(string truthDir,
        string textDir, string? keysDir, int textPoints)
    {
        foreach (var dir in new[] { truthDir, textDir }.Concat(keysDir is null ? [] : [keysDir]))
            if (!Directory.Exists(dir)) throw new PodiumException($"{dir}: no such folder");
        var pairs = new List<(string, string)>();
        var keyed = new List<(KeyFields, KeyFields)>();
        int unread = 0;
        foreach (var file in Directory.GetFiles(truthDir, "*.txt").Order(StringComparer.Ordinal))
        {
            var stem = DetectionEvaluation.Key(file);
            var truth = IcdarText.Read(file, textPoints).Where(r => r.Tag != IcdarText.DontCare).ToList();
            var readPath = Path.Combine(textDir, stem + ".txt");
            if (!File.Exists(readPath)) unread++;
            var read = File.Exists(readPath) ? File.ReadAllText(readPath).Trim() : "";
            pairs.Add((ReadingOrder.Text([.. truth.Select(t => t.Points)], [.. truth.Select(t => t.Tag ?? "")]), read));
            if (keysDir is not null && File.Exists(Path.Combine(keysDir, stem + ".json")))
                keyed.Add((KeyFields.Load(Path.Combine(keysDir, stem + ".json")), ReceiptRules.Extract(read.Split('\n'))));
        }
        if (pairs.Count == 0) throw new PodiumException($"{truthDir}: no truth files (NAME.txt)");
        return (Evaluation.TextRecognitionScore.Of(pairs), keyed.Count > 0 ? KeyFieldScore.Of(keyed) : null, pairs.Count, unread);
    }
}
