using System.ComponentModel;
using Spectre.Console.Cli;

namespace Podium.Cli;

public sealed class QuickstartCommand : PodiumCommand<QuickstartCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--out <DIR>")]
        [Description("Where to put the data, run, submission and report (default: quickstart, or quickstart-ocr with --ocr)")]
        public string? Out { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a key of the quickstart's config, e.g. --set train.epochs=3 (repeatable)")]
        public string[] Set { get; init; } = [];

        [CommandOption("--ocr")]
        [Description("The OCR path instead: synthetic documents → DBNet text detection → scored, detected and cropped test pages → " +
            "a CRNN recogniser → test pages read end to end and scored")]
        public bool Ocr { get; init; }

        [CommandOption("--rec-set <KEY=VALUE>")]
        [Description("With --ocr: override a key of the recogniser's config, e.g. --rec-set train.epochs=4 (repeatable)")]
        public string[] RecSet { get; init; } = [];
    }

    protected override int Run(Settings s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (s.Ocr)
        {
            var o = ConsoleProgress.Run(progress => Podium.Runs.OcrQuickstart.Run(s.Out ?? "quickstart-ocr", s.Set, s.RecSet, new()
            {
                Log = Log,
                Loggers = [progress],
                Tracking = true
            }));
            Log(F($"validation (best epoch {o.Train.BestEpoch}): precision {o.Validation.Validation.Precision:F4}, recall " +
                $"{o.Validation.Validation.Recall:F4}, hmean {o.Validation.Validation.Hmean:F4}"));
            Log(F($"test pages ({o.Test.Images.Count}, ICDAR 2015 protocol): precision {o.Test.Precision:F4}, recall {o.Test.Recall:F4}, " +
                $"hmean {o.Test.Hmean:F4}"));
            Log(F($"per page at {o.Validation.InputWidth}x{o.Validation.InputHeight}: network {o.Validation.NetworkMs:F0} ms, " +
                $"post-processing {o.Validation.PostProcessMs:F1} ms (median)"));
            Log($"detections: {o.Detections} (drawn pages, JSON, ICDAR txt)");
            Log($"crops:      {o.Crops} ({o.CropCount} line images)");
            Log($"recogniser (best epoch {o.Recognition.BestEpoch}):");
            OcrTrainCommand.Print(o.RecognitionValidation);
            var e = o.Reading;
            Log(F($"test pages read end to end ({e.Pages.Count}): ICDAR 2015 precision {e.Precision:F4}, recall {e.Recall:F4}, hmean ") +
                F($"{e.Hmean:F4}; CER {e.Text.CharacterErrorRate:P2}, SROIE word F1 {e.Text.WordF1:F4}"));
            Log($"readings:   {o.Readings} (drawn pages, JSON, ICDAR txt with transcriptions, text in reading order)");
            Log($"reports:    {o.Train.Run.Report}, {o.Recognition.Run.Report}");
            Log(F($"quickstart done in {clock.Elapsed.TotalSeconds:F0} s"));
            return 0;
        }
        var r = ConsoleProgress.Run(progress => Podium.Runs.QuickstartRunner.Run(s.Out ?? "quickstart", s.Set, new()
        {
            Log = Log,
            Loggers = [progress],
            Tracking = true
        }));
        PrintEvaluation(((Podium.Tasks.Classification.ClassificationOutcome)r.Train.Task).Evaluation);
        Log(F($"test accuracy of the submission (scored against the hidden labels): {r.TestAccuracy:F4}"));
        Log($"submission: {r.Submission}");
        Log($"report:     {r.Train.Run.Report}");
        Log($"eda report: {r.EdaReport}");
        Log($"run:        {r.Train.Run.Root}");
        Log(F($"quickstart done in {clock.Elapsed.TotalSeconds:F0} s"));
        return 0;
    }
}
