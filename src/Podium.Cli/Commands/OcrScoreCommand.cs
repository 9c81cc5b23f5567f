using System.ComponentModel;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class OcrScoreCommand : PodiumCommand<OcrScoreCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--truth <DIR>")]
        [Description("ICDAR truth files with transcriptions (NAME.txt or gt_NAME.txt)")]
        public string? Truth { get; init; }

        [CommandOption("--text <DIR>")]
        [Description("The pages as read, one NAME.txt of plain text each (podium ocr read's, Tesseract's, ...)")]
        public string? Text { get; init; }

        [CommandOption("--keys <DIR>")]
        [Description("SROIE key files (NAME.json): also score the receipt fields the rules find in the text")]
        public string? Keys { get; init; }

        [CommandOption("--text-points <N>")]
        [Description("Points per truth line (4, ICDAR 2015; 0 any number)")]
        public int TextPoints { get; init; } = Data.IcdarText.QuadPoints;
    }

    protected override int Run(Settings s)
    {
        if (s.Truth is null || s.Text is null) throw new PodiumException("ocr score: give --truth DIR --text DIR");
        Data.IcdarText.CheckPoints(s.TextPoints, "--text-points");
        var (text, fields, pages, unread) = Podium.Runs.TextReadings.ScoreText(s.Truth, s.Text, s.Keys, s.TextPoints);
        Log(F($"{pages} pages ({unread} without a reading, counted as empty): CER {text.CharacterErrorRate:P2} (case and spaces aside " +
            $"{text.NormalizedCharacterErrorRate:P2}), SROIE word precision {text.WordPrecision:F4}, recall {text.WordRecall:F4}, " +
            $"F1 {text.WordF1:F4}"));
        if (fields is not null) Log(OcrReadCommand.Fields("key fields from the text", fields));
        return 0;
    }
}
