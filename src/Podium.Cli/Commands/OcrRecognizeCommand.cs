using System.ComponentModel;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class OcrRecognizeCommand : PodiumCommand<OcrRecognizeCommand.Settings>
{
    public sealed class Settings : DeviceSettings
    {
        [CommandOption("--rec <RUN>")]
        [Description("A text-recognition run (podium ocr train with a rec section), or ppocrv4-rec as it ships")]
        public string? Rec { get; init; }

        [CommandOption("--input <LINES>")]
        [Description("A lines CSV (crop and optionally text columns, as ocr crop and ocr lines write), text-detection data with " +
            "transcriptions, or a line image or folder of them")]
        public string? Input { get; init; }

        [CommandOption("--out <CSV>")]
        [Description("Where the readings go: line, read, confidence, truth, edits (default readings.csv)")]
        public string Out { get; init; } = "readings.csv";

        [CommandOption("--beam <WIDTH>")]
        [Description("Decode by CTC prefix beam search with this many prefixes (default: greedy)")]
        public int? Beam { get; init; }

        [CommandOption("--lexicon <FILE>")]
        [Description("Only readings listed in this file (one per line): the likeliest entry within --max-edits of the reading, " +
            "by its exact CTC probability; none near reads as empty")]
        public string? Lexicon { get; init; }

        [CommandOption("--max-edits <N>")]
        [Description("With --lexicon: how far an entry may be from the unconstrained reading to be weighed (default 3)")]
        public int MaxEdits { get; init; } = 3;

        [CommandOption("--pattern <REGEX>")]
        [Description("Only readings the whole of which match this .NET regular expression: the likeliest one in the beam " +
            "(implies --beam, 8 unless given); none reads as empty")]
        public string? Pattern { get; init; }

        [CommandOption("--text-points <N>")]
        [Description("Points per region of text-detection data (4, ICDAR 2015; 0 any number)")]
        public int TextPoints { get; init; } = Data.IcdarText.QuadPoints;
    }

    protected override int Run(Settings s)
    {
        if (s.Rec is null || s.Input is null) throw new PodiumException("ocr recognize: give --rec RUN --input LINES");
        if (s.Beam is < 1) throw new PodiumException($"--beam {s.Beam}: at least 1");
        if (s.MaxEdits < 0) throw new PodiumException($"--max-edits {s.MaxEdits}: at least 0");
        Data.IcdarText.CheckPoints(s.TextPoints, "--text-points");
        Regex? pattern = null;
        try
        {
            if (s.Pattern is not null) pattern = new Regex($"^(?:{s.Pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e) { throw new PodiumException($"--pattern {s.Pattern}: not a regular expression ({e.Message})"); }
        var lexicon = s.Lexicon is null ? null : Podium.Ocr.Lexicon.Load(s.Lexicon, s.MaxEdits);
        bool beam = s.Beam is not null || pattern is not null;
        var recognizer = Podium.Runs.RecognitionRunLoader.Load(s.Rec, s.Device, s.Beam ?? (pattern is null ? null : 8), lexicon,
            pattern is null ? null : pattern.IsMatch).Recognizer;
        var r = Podium.Runs.LineReadings.Read(recognizer, s.Input, s.Out, beam, s.TextPoints, Log);
        if (r.Skipped.Count > 0) Log($"skipped {r.Skipped.Count} inputs: {Data.SkippedInput.Summarize(r.Skipped)}");
        Log(F($"{r.Lines} lines; per line: network {r.NetworkMs:F2} ms, decoding {r.DecodeMs:F3} ms") +
            (lexicon is null ? "" : $" (lexicon of {lexicon.Count} entries, at most {lexicon.MaxEdits} edits away)"));
        if (r.Score is { } t) Log($"against the {t.Lines} transcriptions: {OcrTrainCommand.LineScore(t)}");
        Log($"readings in {s.Out}");
        return 0;
    }
}
