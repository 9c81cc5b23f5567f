using System.ComponentModel;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class OcrReadCommand : PodiumCommand<OcrReadCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandOption("--det <RUN>")]
        [Description("A text-detection run (podium ocr train with an ocr section)")]
        public string? Det { get; init; }

        [CommandOption("--rec <RUN>")]
        [Description("A text-recognition run (podium ocr train with a rec section)")]
        public string? Rec { get; init; }

        [CommandOption("--input <IMG_OR_DIR>")]
        [Description("An image, or a folder of images")]
        public string? Input { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Where NAME.json, res_NAME.txt, NAME.txt and NAME_read.jpg go (default read/)")]
        public string Out { get; init; } = "read";

        [CommandOption("--truth <DIR>")]
        [Description("ICDAR truth files with transcriptions (NAME.txt or gt_NAME.txt): score end to end into scores.json")]
        public string? Truth { get; init; }

        [CommandOption("--fields")]
        [Description("Extract each receipt's company, date, address and total (SROIE Task 3, by rules) into NAME.json")]
        public bool Fields { get; init; }

        [CommandOption("--keys <DIR>")]
        [Description("SROIE key files (NAME.json): score the extracted fields by exact match (implies --fields)")]
        public string? Keys { get; init; }

        [CommandOption("--beam <WIDTH>")]
        [Description("Decode by CTC prefix beam search with this many prefixes (default: greedy)")]
        public int? Beam { get; init; }

        [CommandOption("--text-points <N>")]
        [Description("Points per truth line (4, ICDAR 2015; 0 any number)")]
        public int TextPoints { get; init; } = Data.IcdarText.QuadPoints;
    }

    protected override int Run(Settings s)
    {
        if (s.Det is null || s.Rec is null || s.Input is null)
            throw new PodiumException("ocr read: give --det RUN --rec RUN --input IMG_OR_DIR");
        if (s.Beam is < 1) throw new PodiumException($"--beam {s.Beam}: at least 1");
        Data.IcdarText.CheckPoints(s.TextPoints, "--text-points");
        var detector = Podium.Runs.DetectionRunLoader.Load(s.Det, s.Device).Detector;
        var recognizer = Podium.Runs.RecognitionRunLoader.Load(s.Rec, s.Device, s.Beam).Recognizer;
        var r = Podium.Runs.TextReadings.Read(new Podium.Ocr.PageReader(detector, recognizer, beam: s.Beam is not null), s.Input, s.Out,
            s.Truth, s.TextPoints, Log, s.Fields, s.Keys);
        if (r.Skipped.Count > 0) Log($"skipped {r.Skipped.Count} inputs: {Data.SkippedInput.Summarize(r.Skipped)}");
        var m = r.Median;
        Log(F($"{r.Pages} pages, {r.Regions} regions; per page (median): detection {m.DetectNetworkMs:F0} + " +
            $"{m.DetectPostProcessMs:F0} ms, cropping {m.CropMs:F1} ms, recognition {m.RecognizeNetworkMs:F0} + decoding " +
            $"{m.DecodeMs:F1} ms"));
        if (r.Score is { } e)
            Log(F($"end to end ({e.Pages.Count} pages; {r.MissingTruth} without truth): ICDAR 2015 precision {e.Precision:F4}, recall " +
                $"{e.Recall:F4}, hmean {e.Hmean:F4} (detection alone {e.DetectionHmean:F4}); text in reading order: CER " +
                $"{e.Text.CharacterErrorRate:P2}, SROIE word F1 {e.Text.WordF1:F4}"));
        if (r.Fields is { } k) Log(Fields("key fields from the read text", k));
        if (r.FieldsFromTruth is { } t) Log(Fields("key fields from the truth lines (the rules alone)", t));
        Log($"results in {s.Out}");
        return 0;
    }

    internal static string Fields(string what, Podium.Ocr.KeyFieldScore k) => F($"{what} ({k.Receipts} receipts), exact match: ") +
        string.Join(", ", Podium.Ocr.KeyFields.Names.Select(n => F($"{n} {k.Exact[n]:P1}"))) + F($" (case and spaces aside: ") +
        string.Join(", ", Podium.Ocr.KeyFields.Names.Select(n => F($"{n} {k.Loose[n]:P1}"))) + ")";
}
