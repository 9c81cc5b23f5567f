namespace Podium.Cli;

public sealed class OcrTrainCommand : PodiumCommand<TrainCommand.Settings>
{
    protected override int Run(TrainCommand.Settings s)
    {
        if (s.PrintConfig) return TrainCommand.PrintConfig(s);
        Print(TrainCommand.Train(s, "ocr train", task: "text_detection"));
        return 0;
    }

    /// <summary>A detection run's outcome: the best epoch's validation scores and the inference times.</summary>
    public static void Print(Podium.Runs.TrainOutcome outcome)
    {
        var r = (Podium.Tasks.Detection.DetectionOutcome)outcome.Task;
        Log(F($"best epoch {outcome.BestEpoch}: validation ({r.Validation.Images.Count} images, ICDAR 2015 protocol) precision " +
            $"{r.Validation.Precision:F4}, recall {r.Validation.Recall:F4}, hmean {r.Validation.Hmean:F4}"));
        Log(F($"per image at {r.InputWidth}x{r.InputHeight}: network {r.NetworkMs:F0} ms, post-processing {r.PostProcessMs:F1} ms " +
            $"(median)"));
        Log($"run: {outcome.Run.Root}");
    }
}
