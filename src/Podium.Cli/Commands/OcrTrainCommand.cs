namespace Podium.Cli;

public sealed class OcrTrainCommand : PodiumCommand<TrainCommand.Settings>
{
    protected override int Run(TrainCommand.Settings s)
    {
        if (s.PrintConfig) return TrainCommand.PrintConfig(s);
        Print(TrainCommand.Train(s, "ocr train", tasks: ["text_detection", "text_recognition"]));
        return 0;
    }

    /// <summary>An OCR run's outcome: the best epoch's validation scores and the inference times.</summary>
    public static void Print(Podium.Runs.TrainOutcome outcome)
    {
        if (outcome.Task is Podium.Tasks.Recognition.RecognitionOutcome rec)
        {
            Print(rec);
            Log($"run: {outcome.Run.Root}");
            return;
        }
        var r = (Podium.Tasks.Detection.DetectionOutcome)outcome.Task;
        Log(F($"best epoch {outcome.BestEpoch}: validation ({r.Validation.Images.Count} images, ICDAR 2015 protocol) precision " +
            $"{r.Validation.Precision:F4}, recall {r.Validation.Recall:F4}, hmean {r.Validation.Hmean:F4}"));
        Log(F($"per image at {r.InputWidth}x{r.InputHeight}: network {r.NetworkMs:F0} ms, post-processing {r.PostProcessMs:F1} ms " +
            $"(median)"));
        Log($"run: {outcome.Run.Root}");
    }

    internal static void Print(Podium.Tasks.Recognition.RecognitionOutcome r)
    {
        foreach (var (name, s) in new[] { ("greedy", r.Greedy), ($"beam {r.BeamWidth}", r.Beam) })
            Log($"validation ({s.Lines} lines, {name}): {LineScore(s)}");
        Log(F($"per line: network {r.NetworkMs:F2} ms, greedy decoding {r.GreedyMs:F3} ms, beam search {r.BeamMs:F3} ms"));
    }

    /// <summary>A line recogniser's score as the OCR commands print it.</summary>
    internal static string LineScore(Podium.Evaluation.TextRecognitionScore s) => F($"CER {s.CharacterErrorRate:P2} (case and spaces " +
        $"aside {s.NormalizedCharacterErrorRate:P2}), line accuracy {s.LineAccuracy:P2}, word F1 {s.WordF1:F4}");
}
